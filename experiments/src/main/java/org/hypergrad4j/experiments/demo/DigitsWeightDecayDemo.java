package org.hypergrad4j.experiments.demo;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.data.Dataset;
import org.hypergrad4j.experiments.data.Splits;
import org.hypergrad4j.experiments.data.Standardizer;
import org.hypergrad4j.experiments.runner.ProgressLine;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The README's first run: softmax regression on the bundled digits (1,797 8×8 images; stratified
 * 50/25/25 train/validation/test split, standardised on the training part) with one weight decay per
 * weight, {@code L_T = CE_train + Σ_ij exp(λ_ij) W_ij²} (640 hyperparameters), tuned jointly with the
 * weights (Lorraine et al. 2020): each hyper-step runs {@code innerSteps} of full-batch SGD with momentum
 * on {@code L_T} (warm-started), then one Adam step on λ with the implicit hypergradient of the
 * validation cross-entropy, its linear system solved by 20 conjugate-gradient iterations on exact
 * Hessian-vector products. Prints one progress line per hyper-step and a before/after table.
 */
public final class DigitsWeightDecayDemo {

    /**
     * @param hyperSteps   outer iterations
     * @param innerSteps   SGD steps on the weights before each hyper-step
     * @param cgIterations conjugate-gradient iterations per hypergradient
     * @param initialLogDecay initial value of every λ_ij
     * @param seed         split and initialisation seed
     */
    public record Config(int hyperSteps, int innerSteps, int cgIterations, double initialLogDecay, double hyperLearningRate, long seed) {
        public Config {
            if (hyperSteps < 1) {
                throw new IllegalArgumentException("hyper-steps must be at least 1, got " + hyperSteps + ".");
            }
            if (innerSteps < 1) {
                throw new IllegalArgumentException("inner steps must be at least 1, got " + innerSteps + ".");
            }
            if (cgIterations < 1) {
                throw new IllegalArgumentException("CG iterations must be at least 1, got " + cgIterations + ".");
            }
            if (!(hyperLearningRate > 0)) {
                throw new IllegalArgumentException("the hyper learning rate must be positive, got " + hyperLearningRate + ".");
            }
        }

        /** About a minute on two cores. */
        public static Config defaults() {
            return new Config(60, 100, 20, -4.0, 0.1, 42);
        }

        /** A few seconds: for CI and smoke runs. */
        public static Config quick() {
            return new Config(6, 40, 10, -4.0, 0.1, 42);
        }
    }

    /** Losses and accuracies on the three splits. */
    public record Scores(double trainLoss, double validationLoss, double testLoss, double trainAccuracy,
                         double validationAccuracy, double testAccuracy) {
    }

    /**
     * @param initial       scores after training at the initial λ (same number of weight updates)
     * @param tuned         scores after joint training
     * @param logDecayMin   smallest learned λ
     * @param logDecayMean  mean learned λ
     * @param logDecayMax   largest learned λ
     * @param seconds       wall time
     */
    public record Result(Scores initial, Scores tuned, double logDecayMin, double logDecayMean, double logDecayMax, double seconds) {
    }

    private static final String W = "W";
    private static final String B = "b";
    private static final String LAMBDA = "lambda";

    private final Config config;
    private final SameDiff sd = SameDiff.create();
    private final Map<String, INDArray> trainFeed = new HashMap<>();
    private final Map<String, INDArray> valFeed = new HashMap<>();
    private final Map<String, INDArray> testFeed = new HashMap<>();
    private final ExactSecondOrderView training;
    private final ExactSecondOrderView validation;
    private final int[] trainLabels;
    private final int[] valLabels;
    private final int[] testLabels;

    public DigitsWeightDecayDemo(Config config) {
        this.config = config;
        Dataset digits = BundledDatasets.digits();
        Splits.Split split = Splits.stratified(digits, 0.5, 0.25, 0.25, config.seed());
        Standardizer standardizer = Standardizer.fit(split.train());
        Dataset train = standardizer.apply(split.train());
        Dataset val = standardizer.apply(split.validation());
        Dataset test = standardizer.apply(split.test());
        trainLabels = train.labels();
        valLabels = val.labels();
        testLabels = test.labels();
        int features = digits.numFeatures();
        int classes = digits.numClasses();

        Random rnd = new Random(config.seed());
        SDVariable w = sd.var(W, gaussian(rnd, 0.01, features, classes));
        SDVariable b = sd.var(B, Nd4j.zeros(DataType.FLOAT, 1, classes));
        SDVariable lambda = sd.var(LAMBDA, Nd4j.valueArrayOf(new long[] {features, classes}, config.initialLogDecay(), DataType.FLOAT));
        for (String part : new String[] {"train", "val", "test"}) {
            SDVariable x = sd.placeHolder("x_" + part, DataType.FLOAT, -1, features);
            SDVariable y = sd.placeHolder("y_" + part, DataType.FLOAT, -1, classes);
            SDVariable logits = x.mmul(w).add(b);
            logits.rename("logits_" + part);
            SDVariable ce = DifferentiableOps.softmaxCrossEntropy(sd, logits, y);
            ce.rename("ce_" + part);
        }
        SDVariable lt = sd.getVariable("ce_train").add(sd.math.exp(lambda).mul(sd.math.square(w)).sum());
        lt.rename("L_T");
        training = ExactSecondOrderView.build(sd, "L_T", List.of(W, B), List.of(LAMBDA));
        validation = ExactSecondOrderView.build(sd, "ce_val", List.of(W, B), List.of(LAMBDA));
        put(trainFeed, "train", train);
        put(valFeed, "val", val);
        put(testFeed, "test", test);
    }

    private static void put(Map<String, INDArray> feed, String part, Dataset data) {
        feed.put("x_" + part, data.toFeatures(DataType.FLOAT));
        feed.put("y_" + part, data.toOneHotLabels(DataType.FLOAT));
    }

    private static INDArray gaussian(Random rnd, double std, long rows, long cols) {
        float[] d = new float[(int) (rows * cols)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (std * rnd.nextGaussian());
        }
        return Nd4j.createFromArray(d).reshape(rows, cols);
    }

    /** Runs the demo, printing progress and a summary to {@code out}. */
    public Result run(PrintStream out) {
        long start = System.nanoTime();
        ParamVector weights = training.weights();
        ParamVector initialWeights = weights.dup();
        ParamVector lambda = training.hyperparameters();
        ParamVector initialLambda = lambda.dup();
        int totalInner = config.hyperSteps() * config.innerSteps();

        out.printf("Per-weight decay on digits: softmax regression 64→10, %d weight decays exp(λ), %d training / %d validation / %d test images.%n",
                lambda.length(), trainLabels.length, valLabels.length, testLabels.length);
        out.printf("Each hyper-step: %d SGD steps on the weights, then one Adam step on λ with the implicit hypergradient (CG, %d iterations).%n",
                config.innerSteps(), config.cgIterations());

        // Baseline: the same number of weight updates at the initial λ.
        train(new Sgd(0.5, 0.9, false), totalInner);
        Scores initial = scores();
        weights.assignInPlace(initialWeights);
        out.printf("Baseline at λ = %.1f after %d weight updates: validation loss %.4f, test accuracy %.2f%%%n%n",
                config.initialLogDecay(), totalInner, initial.validationLoss(), 100 * initial.testAccuracy());

        HypergradientProblem problem = HypergradientProblem.fullBatch(training, trainFeed, validation, valFeed);
        ImplicitHypergradient method = new ImplicitHypergradient(new ConjugateGradient(config.cgIterations(), 1e-6)).warmStarting();
        Optimizer inner = new Sgd(0.5, 0.9, false);
        Optimizer outer = new Adam(config.hyperLearningRate());
        ProgressLine progress = new ProgressLine(out, config.hyperSteps());
        for (int k = 0; k < config.hyperSteps(); k++) {
            train(inner, config.innerSteps());
            HypergradientResult h = method.compute(problem);
            outer.step(lambda, h.hypergradient());
            lambda.get(LAMBDA).assign(clip(lambda.get(LAMBDA), -12, 4));
            double[] l = lambda.toDoubleArray();
            progress.update(k + 1, String.format("L_T %.4f | L_V %.4f | ‖∇λ‖ %.2e | λ mean %.2f [%.1f, %.1f] | CG %d it",
                    training.loss(trainFeed), h.validationLoss(), h.hypergradient().norm2(), mean(l), min(l), max(l), h.solverIterations()));
        }
        Scores tuned = scores();
        double[] l = lambda.toDoubleArray();
        Result result = new Result(initial, tuned, min(l), mean(l), max(l), (System.nanoTime() - start) / 1e9);
        printSummary(out, result, initialLambda);
        return result;
    }

    private void train(Optimizer optimizer, int steps) {
        ParamVector weights = training.weights();
        for (int i = 0; i < steps; i++) {
            optimizer.step(weights, training.lossAndGradient(trainFeed).weightGradient());
        }
    }

    private Scores scores() {
        double[] trainLa = lossAndAccuracy("train", trainFeed, trainLabels);
        double[] valLa = lossAndAccuracy("val", valFeed, valLabels);
        double[] testLa = lossAndAccuracy("test", testFeed, testLabels);
        return new Scores(trainLa[0], valLa[0], testLa[0], trainLa[1], valLa[1], testLa[1]);
    }

    private double[] lossAndAccuracy(String part, Map<String, INDArray> feed, int[] labels) {
        Map<String, INDArray> out = sd.output(feed, "ce_" + part, "logits_" + part);
        INDArray predicted = out.get("logits_" + part).argMax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) {
                correct++;
            }
        }
        return new double[] {out.get("ce_" + part).getDouble(0), correct / (double) labels.length};
    }

    private static void printSummary(PrintStream out, Result r, ParamVector initialLambda) {
        out.println();
        out.println("|                | initial λ | tuned λ |");
        out.println("|----------------|-----------|---------|");
        out.printf("| train loss     | %9.4f | %7.4f |%n", r.initial().trainLoss(), r.tuned().trainLoss());
        out.printf("| val loss       | %9.4f | %7.4f |%n", r.initial().validationLoss(), r.tuned().validationLoss());
        out.printf("| test loss      | %9.4f | %7.4f |%n", r.initial().testLoss(), r.tuned().testLoss());
        out.printf("| train accuracy | %8.2f%% | %6.2f%% |%n", 100 * r.initial().trainAccuracy(), 100 * r.tuned().trainAccuracy());
        out.printf("| val accuracy   | %8.2f%% | %6.2f%% |%n", 100 * r.initial().validationAccuracy(), 100 * r.tuned().validationAccuracy());
        out.printf("| test accuracy  | %8.2f%% | %6.2f%% |%n", 100 * r.initial().testAccuracy(), 100 * r.tuned().testAccuracy());
        out.printf("%nLearned log-decays λ: min %.2f, mean %.2f, max %.2f (all started at %.2f). Validation loss %s by %.1f%% in %.1f s.%n",
                r.logDecayMin(), r.logDecayMean(), r.logDecayMax(), initialLambda.toDoubleArray()[0],
                r.tuned().validationLoss() < r.initial().validationLoss() ? "fell" : "rose",
                100 * Math.abs(1 - r.tuned().validationLoss() / r.initial().validationLoss()), r.seconds());
    }

    private static INDArray clip(INDArray a, double lo, double hi) {
        return org.nd4j.linalg.ops.transforms.Transforms.max(org.nd4j.linalg.ops.transforms.Transforms.min(a, hi, true), lo, true);
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double d : a) {
            s += d;
        }
        return s / a.length;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : a) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : a) {
            m = Math.max(m, d);
        }
        return m;
    }
}
