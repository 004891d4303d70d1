package org.hypergrad4j.experiments.demo;

import org.hypergrad4j.experiments.internal.ProgressLine;
import org.hypergrad4j.data.Split;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.experiments.results.Metrics;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.experiments.results.Provenance;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunLock;
import org.hypergrad4j.experiments.runner.WeightDecayRun;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;

/**
 * The README's first run, on the {@link Hpo} facade: softmax regression on the bundled digits (1,797 8×8 images;
 * stratified 50/25/25 train/validation/test split, standardised on the training part) with one weight decay per
 * weight, {@code L_T = CE_train + Σ_j exp(λ_j) w_j²}, tuned jointly with the weights (Lorraine et al. 2020): each
 * hyper-step runs {@code innerSteps} of full-batch SGD with momentum on {@code L_T} (warm-started), then one Adam
 * step on λ with the implicit hypergradient of the validation cross-entropy, its linear system solved by
 * conjugate gradient on exact Hessian-vector products. Prints one progress line per hyper-step and a
 * before/after table, and writes a run folder (config, provenance, metrics, summary, plot, checkpoints).
 */
public final class DigitsWeightDecayDemo {

    /**
     * @param hyperSteps        outer iterations
     * @param innerSteps        SGD steps on the weights before each hyper-step
     * @param cgIterations      conjugate-gradient iterations per hypergradient
     * @param initialLogDecay   initial value of every λ_j
     * @param hyperLearningRate Adam's learning rate on λ
     * @param seed              split and initialisation seed
     */
    public record Config(int hyperSteps, int innerSteps, int cgIterations, double initialLogDecay, double hyperLearningRate, long seed) {
        public Config {
            if (hyperSteps < 1 || hyperSteps > 100_000) {
                throw new IllegalArgumentException("--hyper-steps must lie in [1, 100000], got " + hyperSteps + ".");
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

        /** About fifteen seconds on two cores. */
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
        static Scores of(BilevelProblem p) {
            BilevelProblem.Evaluation tr = p.evaluate(BilevelProblem.Part.TRAIN);
            BilevelProblem.Evaluation va = p.evaluate(BilevelProblem.Part.VALIDATION);
            BilevelProblem.Evaluation te = p.evaluate(BilevelProblem.Part.TEST);
            return new Scores(tr.loss(), va.loss(), te.loss(), tr.accuracy(), va.accuracy(), te.accuracy());
        }
    }

    /**
     * @param initial      scores after training at the initial λ (same number of weight updates)
     * @param tuned        scores after joint training
     * @param logDecayMin  smallest learned λ
     * @param logDecayMean mean learned λ
     * @param logDecayMax  largest learned λ
     * @param seconds      wall time
     * @param folder       the run folder
     */
    public record Result(Scores initial, Scores tuned, double logDecayMin, double logDecayMean, double logDecayMax, double seconds, Path folder) {
    }

    /** Metrics columns, one row per hyper-step. */
    public static final List<String> COLUMNS = List.of("hyper_step", "train_loss", "val_loss", "val_accuracy", "hypergradient_norm",
            "seconds", "lambda_mean", "lambda_min", "lambda_max");

    private final Config config;
    private final Split parts;

    public DigitsWeightDecayDemo(Config config) {
        this.config = config;
        this.parts = WeightDecayRun.parts(org.hypergrad4j.experiments.runner.Choices.DataSet.DIGITS, null, config.seed());
    }

    /** The facade with this demo's settings (a fresh problem each call). */
    private Hpo hpo() {
        return Hpo.on(parts.train(), parts.validation()).test(parts.test()).seed(config.seed())
                .tune(WeightDecay.perWeight(config.initialLogDecay()))
                .method(new ImplicitHypergradient(new ConjugateGradient(config.cgIterations(), 1e-6)).warmStarting())
                .innerOptimizer(new Sgd(0.5, 0.9, false)).outerOptimizer(new Adam(config.hyperLearningRate()))
                .hyperSteps(config.hyperSteps()).innerSteps(config.innerSteps()).bounds(-12, 4);
    }

    /** Runs the demo into a new run folder under {@code outputRoot}, printing progress and a summary to {@code out}. */
    public Result run(PrintStream out, Path outputRoot) {
        long start = System.nanoTime();
        int totalInner = config.hyperSteps() * config.innerSteps();
        BilevelProblem baseline = hpo().build();
        baseline.trainWeights(new Sgd(0.5, 0.9, false), totalInner);
        Scores initial = Scores.of(baseline);
        RunDirectory dir = RunDirectory.createUnique(outputRoot, "demo", config.seed(), Instant.now());
        try (RunLock lock = dir.lock()) {
            dir.writeConfig(config);
            dir.writeProvenance(Provenance.capture(config.seed()));
            try (MetricsWriter metrics = dir.newMetrics(COLUMNS)) {
                out.printf("Per-weight decay on digits: softmax regression 64→10, %d weight decays exp(λ), %d training / %d validation / %d test"
                        + " images.%n", baseline.hyperparameters().length(), parts.train().numExamples(), parts.validation().numExamples(), parts.test().numExamples());
                out.printf("Each hyper-step: %d SGD steps on the weights, then one Adam step on λ with the implicit hypergradient (CG, %d"
                        + " iterations).%n", config.innerSteps(), config.cgIterations());
                out.printf("Baseline at λ = %.1f after %d weight updates: validation loss %.4f, test accuracy %.2f%%%n%n",
                        config.initialLogDecay(), totalInner, initial.validationLoss(), 100 * initial.testAccuracy());
                Hpo hpo = hpo().checkpointTo(dir.path().resolve("checkpoint"));
                BilevelProblem problem = hpo.build();
                Hpo.Result r = hpo.listener(progress(out, problem, metrics)).run(problem);
                double[] l = problem.hyperparameters().toDoubleArray();
                Result result = new Result(initial, Scores.of(problem), min(l), mean(l), max(l), (System.nanoTime() - start) / 1e9, dir.path());
                metrics.close();
                writePlot(dir);
                dir.writeSummary(summary(result, r));
                printSummary(out, result, dir.path());
                return result;
            }
        }
    }

    /** A metrics row and a progress line per hyper-step. */
    private TrainingListener<JointTrainer.HyperStep> progress(PrintStream out, BilevelProblem problem, MetricsWriter metrics) {
        ProgressLine progress = new ProgressLine(out, config.hyperSteps());
        return new TrainingListener<>() {
            private JointTrainer.HyperStep last;

            @Override
            public void onUnit(JointTrainer.HyperStep e) {
                last = e;
            }

            @Override
            public void onEvaluation(EvaluationEvent e) {
                double[] l = problem.hyperparameters().toDoubleArray();
                metrics.write(e.unit(), e.train().loss(), e.validation().loss(), e.validation().accuracy(), last.hypergradientNorm(), last.seconds(),
                        mean(l), min(l), max(l));
                progress.update((int) e.unit(), String.format("L_T %.4f | L_V %.4f | ‖∇λ‖ %.2e | λ mean %.2f [%.1f, %.1f]", last.trainingLoss(),
                        last.validationLoss(), last.hypergradientNorm(), mean(l), min(l), max(l)));
            }

            @Override
            public void onRecovery(Recovery e) {
                out.println("Stopped: " + e.message());
            }
        };
    }

    private static Map<String, Object> summary(Result r, Hpo.Result run) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", "demo");
        s.put("status", run.summary().status().name());
        s.put("message", run.summary().message());
        s.put("initial", r.initial());
        s.put("tuned", r.tuned());
        s.put("lambda_min", r.logDecayMin());
        s.put("lambda_mean", r.logDecayMean());
        s.put("lambda_max", r.logDecayMax());
        s.put("seconds", r.seconds());
        return s;
    }

    private static void writePlot(RunDirectory dir) {
        Metrics m = Metrics.read(dir.path().resolve(RunDirectory.METRICS));
        if (m.rowCount() == 0) {
            return;
        }
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("train", m.column("train_loss"));
        losses.put("validation", m.column("val_loss"));
        Plots.lossCurves(dir.file("losses.png"), "Losses over hyper-steps", m.column("hyper_step"), losses);
    }

    private static void printSummary(PrintStream out, Result r, Path folder) {
        out.println();
        out.println("|                | initial λ | tuned λ |");
        out.println("|----------------|-----------|---------|");
        out.printf("| train loss     | %9.4f | %7.4f |%n", r.initial().trainLoss(), r.tuned().trainLoss());
        out.printf("| val loss       | %9.4f | %7.4f |%n", r.initial().validationLoss(), r.tuned().validationLoss());
        out.printf("| test loss      | %9.4f | %7.4f |%n", r.initial().testLoss(), r.tuned().testLoss());
        out.printf("| train accuracy | %8.2f%% | %6.2f%% |%n", 100 * r.initial().trainAccuracy(), 100 * r.tuned().trainAccuracy());
        out.printf("| val accuracy   | %8.2f%% | %6.2f%% |%n", 100 * r.initial().validationAccuracy(), 100 * r.tuned().validationAccuracy());
        out.printf("| test accuracy  | %8.2f%% | %6.2f%% |%n", 100 * r.initial().testAccuracy(), 100 * r.tuned().testAccuracy());
        out.printf("%nLearned log-decays λ: min %.2f, mean %.2f, max %.2f. Validation loss %s by %.1f%% in %.1f s. Run folder: %s%n",
                r.logDecayMin(), r.logDecayMean(), r.logDecayMax(), r.tuned().validationLoss() < r.initial().validationLoss() ? "fell" : "rose",
                100 * Math.abs(1 - r.tuned().validationLoss() / r.initial().validationLoss()), r.seconds(), folder);
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }
}
