package org.hypergrad4j.bilevel.problem;

import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.bilevel.hyper.AugmentationNetwork;
import org.hypergrad4j.bilevel.hyper.DistilledData;
import org.hypergrad4j.bilevel.hyper.DropoutRates;
import org.hypergrad4j.bilevel.hyper.ExampleWeights;
import org.hypergrad4j.bilevel.hyper.HyperparameterKind;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Model;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bilevel hyperparameter problem: a model, the hyperparameters to tune, training and validation data
 * (and optionally test data), built into one SameDiff graph in which the training and validation losses
 * share the model's weights:
 * <pre>
 * L_T(w, λ) = (1/B) Σ_{i∈batch} a_i · CE(f_w(g(x_i)), y_i) + Σ decay terms
 *   a_i = c(θ_i) with per-example weights, else 1; g = the augmentation network, else the identity;
 *   with distilled data: L_T = CE(f_w(X_d), Y_d) + Σ decay terms
 * L_V(w)    = (1/|V|) Σ_{i∈V} CE(f_w(x_i), y_i)
 * </pre>
 * Built with {@link #builder()}, which validates everything before building (shapes, types, empty data,
 * NaN in data, initial values outside their constraint's range).
 */
public final class BilevelProblem {
    static final String X_TRAIN = "x_train";
    static final String Y_TRAIN = "y_train";
    static final String SELECT_TRAIN = "select_train";
    static final String X_VAL = "x_val";
    static final String Y_VAL = "y_val";
    static final String X_TEST = "x_test";
    static final String Y_TEST = "y_test";

    private final Model model;
    private final List<HyperparameterKind> kinds;
    private final DataType type;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final SameDiff sd = SameDiff.create();
    private final List<String> hyperparameterNames = new ArrayList<>();
    private final boolean exampleWeighted;
    private final ExactSecondOrderView trainingView;
    private final ExactSecondOrderView validationView;
    private final INDArray trainX;
    private final INDArray trainY;
    private final Map<String, INDArray> validationFeed = new HashMap<>();
    private final Map<String, INDArray> testFeed = new HashMap<>();
    static final String NOISE_PREFIX = "dropout_noise_";
    private DropoutRates dropout;
    private final List<Integer> dropoutWidths = new ArrayList<>();

    private BilevelProblem(Builder b) {
        this.model = b.model;
        this.kinds = List.copyOf(b.kinds);
        this.type = b.type;
        this.train = b.train;
        this.validation = b.validation;
        this.test = b.test;
        this.exampleWeighted = kinds.stream().anyMatch(k -> k instanceof ExampleWeights);

        SDVariable xTrain = sd.placeHolder(X_TRAIN, type, -1, model.inputSize());
        SDVariable yTrain = sd.placeHolder(Y_TRAIN, type, -1, model.classes());
        AugmentationNetwork augmentation = (AugmentationNetwork) kinds.stream().filter(k -> k instanceof AugmentationNetwork)
                .findFirst().orElse(null);
        SDVariable trainingInputs = augmentation == null ? xTrain : augment(augmentation, xTrain);
        dropout = (DropoutRates) kinds.stream().filter(k -> k instanceof DropoutRates).findFirst().orElse(null);
        SDVariable trainingLogits = dropout == null ? model.logits(sd, trainingInputs, type)
                : model.logits(sd, trainingInputs, type, this::concreteDropout);
        SDVariable perExample = DifferentiableOps.softmaxCrossEntropyPerExample(sd, trainingLogits, yTrain);
        SDVariable trainLoss;
        DistilledData distilled = (DistilledData) kinds.stream().filter(k -> k instanceof DistilledData).findFirst().orElse(null);
        if (distilled != null) {
            // Train on learned inputs with fixed labels i mod C instead of the training data.
            int k = distilled.perClass() * model.classes();
            SDVariable inputs = sd.var("distilled_inputs", Nd4j.valueArrayOf(new long[] {k, model.inputSize()}, distilled.initialValue(), type));
            hyperparameterNames.add(inputs.name());
            INDArray labels = Nd4j.zeros(type, k, model.classes());
            for (int i = 0; i < k; i++) {
                labels.putScalar(i, i % model.classes(), 1.0);
            }
            trainLoss = DifferentiableOps.softmaxCrossEntropy(sd, model.logits(sd, inputs, type), sd.constant("distilled_labels", labels));
        } else if (exampleWeighted) {
            ExampleWeights ew = (ExampleWeights) kinds.stream().filter(k -> k instanceof ExampleWeights).findFirst().orElseThrow();
            SDVariable raw = sd.var("example_weights", Nd4j.valueArrayOf(new long[] {train.numExamples(), 1},
                    ew.constraint().inverse(ew.initialValue(), "example weights"), type));
            hyperparameterNames.add(raw.name());
            // Rows of a one-hot selection matrix pick each batch example's weight: gather by matrix product,
            // which (unlike gather) has correct derivatives of every order.
            SDVariable select = sd.placeHolder(SELECT_TRAIN, type, -1, train.numExamples());
            SDVariable weights = sd.reshape(select.mmul(ew.constraint().apply(sd, raw)), -1);
            trainLoss = weights.mul(perExample).mean();
        } else {
            trainLoss = perExample.mean();
        }
        for (HyperparameterKind k : kinds) {
            if (k instanceof WeightDecay wd) {
                trainLoss = trainLoss.add(decayTerm(wd));
            }
        }
        trainLoss.rename("L_T");
        for (String part : new String[] {"val", "test"}) {
            SDVariable x = sd.placeHolder("x_" + part, type, -1, model.inputSize());
            SDVariable y = sd.placeHolder("y_" + part, type, -1, model.classes());
            SDVariable logits = model.logits(sd, x, type);
            logits.rename("logits_" + part);
            DifferentiableOps.softmaxCrossEntropy(sd, logits, y).rename("L_" + part);
        }
        // Accuracy on the training data is measured on the unaugmented inputs.
        model.logits(sd, xTrain, type).rename("logits_train");
        trainingView = ExactSecondOrderView.build(sd, "L_T", model.weights(), hyperparameterNames);
        validationView = ExactSecondOrderView.build(sd, "L_val", model.weights(), hyperparameterNames);
        trainX = train.toFeatures(type);
        trainY = train.toOneHotLabels(type);
        validationFeed.put(X_VAL, validation.toFeatures(type));
        validationFeed.put(Y_VAL, validation.toOneHotLabels(type));
        if (test != null) {
            testFeed.put(X_TEST, test.toFeatures(type));
            testFeed.put(Y_TEST, test.toOneHotLabels(type));
        }
    }

    /** {@code h ⊙ z / q}, {@code z = σ((log q − log p + log u − log(1 − u)) / τ)}, {@code p = c(θ_l)}, {@code q = 1 − p}. */
    private SDVariable concreteDropout(int layer, int width, SDVariable h) {
        double raw0 = dropout.constraint().inverse(dropout.initialRate(), "dropout rate");
        SDVariable theta = sd.var("dropout_" + layer, Nd4j.valueArrayOf(new long[] {1, 1}, raw0, type));
        hyperparameterNames.add(theta.name());
        SDVariable u = sd.placeHolder(NOISE_PREFIX + layer, type, -1, width);
        dropoutWidths.add(width);
        SDVariable p = dropout.constraint().apply(sd, theta);
        SDVariable q = p.rsub(1.0);
        SDVariable logits = sd.math.log(q).sub(sd.math.log(p)).add(sd.math.log(u).sub(sd.math.log(u.rsub(1.0))));
        SDVariable z = sd.nn.sigmoid(logits.div(dropout.temperature()));
        return h.mul(z).div(q);
    }

    /** {@code x + tanh(x A₁ + c₁) A₂} with hyperparameters A₁, c₁, A₂ (A₂ = 0 at the start). */
    private SDVariable augment(AugmentationNetwork a, SDVariable x) {
        int d = model.inputSize();
        java.util.Random rnd = new java.util.Random(a.seed());
        double[] init = new double[d * a.hidden()];
        for (int i = 0; i < init.length; i++) {
            init[i] = a.scale() / Math.sqrt(d) * rnd.nextGaussian();
        }
        SDVariable a1 = sd.var("augment_A1", Nd4j.createFromArray(init).reshape(d, a.hidden()).castTo(type));
        SDVariable c1 = sd.var("augment_c1", Nd4j.zeros(type, 1, a.hidden()));
        SDVariable a2 = sd.var("augment_A2", Nd4j.zeros(type, a.hidden(), d));
        hyperparameterNames.add(a1.name());
        hyperparameterNames.add(c1.name());
        hyperparameterNames.add(a2.name());
        return x.add(sd.math.tanh(x.mmul(a1).add(c1)).mmul(a2));
    }

    private SDVariable decayTerm(WeightDecay wd) {
        SDVariable total = null;
        List<String> decayed = model.decayedWeights();
        double raw0 = wd.constraint().inverse(wd.initialValue(), "weight decay");
        if (wd.scope() == WeightDecay.Scope.GLOBAL) {
            SDVariable theta = sd.var("decay", Nd4j.valueArrayOf(new long[] {1, 1}, raw0, type));
            hyperparameterNames.add(theta.name());
            SDVariable squares = null;
            for (String w : decayed) {
                SDVariable s = sd.math.square(sd.getVariable(w)).sum();
                squares = squares == null ? s : squares.add(s);
            }
            return wd.constraint().apply(sd, theta).sum().mul(squares);
        }
        for (String w : decayed) {
            long[] shape = wd.scope() == WeightDecay.Scope.PER_LAYER ? new long[] {1, 1} : sd.getVariable(w).getArr().shape();
            SDVariable theta = sd.var("decay_" + w, Nd4j.valueArrayOf(shape, raw0, type));
            hyperparameterNames.add(theta.name());
            SDVariable squares = sd.math.square(sd.getVariable(w));
            SDVariable term = wd.scope() == WeightDecay.Scope.PER_LAYER
                    ? wd.constraint().apply(sd, theta).sum().mul(squares.sum())
                    : wd.constraint().apply(sd, theta).mul(squares).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The graph holding both losses. */
    public SameDiff graph() {
        return sd;
    }

    public Model model() {
        return model;
    }

    public List<HyperparameterKind> kinds() {
        return kinds;
    }

    public DataType dataType() {
        return type;
    }

    public Dataset trainingData() {
        return train;
    }

    public Dataset validationData() {
        return validation;
    }

    /** Whether test data were given. */
    public boolean hasTestData() {
        return test != null;
    }

    /** The training loss's second-order view (weights and hyperparameters live). */
    public ExactSecondOrderView training() {
        return trainingView;
    }

    /** The validation loss's second-order view. */
    public ExactSecondOrderView validation() {
        return validationView;
    }

    /** The model's weights (live arrays). */
    public ParamVector weights() {
        return trainingView.weights();
    }

    /** The raw hyperparameters θ (live arrays). */
    public ParamVector hyperparameters() {
        return trainingView.hyperparameters();
    }

    /** The training feed for the examples {@code rows}, with dropout noise of seed 0. */
    public Map<String, INDArray> trainingFeed(int[] rows) {
        return trainingFeed(rows, 0);
    }

    /**
     * The training feed for the examples {@code rows}; dropout noise {@code u ~ U(0, 1)} (if dropout rates
     * are tuned) is drawn, layer after layer, from a generator seeded by {@code noiseSeed} (the trainers pass
     * an item of a {@link org.hypergrad4j.data.SeedStream}), so a step's feed is reproducible.
     */
    public Map<String, INDArray> trainingFeed(int[] rows, long noiseSeed) {
        if (dropoutWidths.isEmpty() && isAllRowsInOrder(rows)) {
            // Full batch without noise: the same arrays every step, so the engine sees the data unchanged.
            if (fullFeed == null) {
                fullFeed = Map.copyOf(buildTrainingFeed(rows, noiseSeed));
            }
            return fullFeed;
        }
        return buildTrainingFeed(rows, noiseSeed);
    }

    private Map<String, INDArray> fullFeed;

    private boolean isAllRowsInOrder(int[] rows) {
        if (rows.length != train.numExamples()) {
            return false;
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    private Map<String, INDArray> buildTrainingFeed(int[] rows, long noiseSeed) {
        Map<String, INDArray> feed = new HashMap<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(noiseSeed);
        for (int l = 0; l < dropoutWidths.size(); l++) {
            double[] u = new double[rows.length * dropoutWidths.get(l)];
            for (int i = 0; i < u.length; i++) {
                u[i] = 1e-6 + (1 - 2e-6) * rnd.nextDouble();
            }
            feed.put(NOISE_PREFIX + l, Nd4j.createFromArray(u).reshape(rows.length, dropoutWidths.get(l)).castTo(type));
        }
        feed.put(X_TRAIN, Nd4j.pullRows(trainX, 1, rows));
        feed.put(Y_TRAIN, Nd4j.pullRows(trainY, 1, rows));
        if (exampleWeighted) {
            INDArray select = Nd4j.zeros(type, rows.length, train.numExamples());
            for (int k = 0; k < rows.length; k++) {
                select.putScalar(k, rows[k], 1.0);
            }
            feed.put(SELECT_TRAIN, select);
        }
        return feed;
    }

    /** The feed of all training examples, with dropout noise of seed 0. */
    public Map<String, INDArray> fullTrainingFeed() {
        return fullTrainingFeed(0);
    }

    /** The feed of all training examples, with dropout noise of seed {@code noiseSeed}. */
    public Map<String, INDArray> fullTrainingFeed(long noiseSeed) {
        int[] all = new int[train.numExamples()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return trainingFeed(all, noiseSeed);
    }

    /** The feed of all validation examples. */
    public Map<String, INDArray> validationFeed() {
        return Map.copyOf(validationFeed);
    }

    /**
     * {@code steps} full-batch updates of {@code optimizer} on the training loss with the hyperparameters
     * held fixed (plain training, as for baselines and grid points).
     */
    public void trainWeights(org.hypergrad4j.bilevel.optim.Optimizer optimizer, long steps) {
        Map<String, INDArray> feed = fullTrainingFeed();
        ParamVector gradient = weights().zerosLike();
        for (long s = 0; s < steps; s++) {
            trainingView.lossAndWeightGradientInto(feed, gradient);
            optimizer.step(weights(), gradient);
        }
    }

    /**
     * {@code steps} updates of {@code optimizer} on training minibatches of {@code batchSize} examples
     * (0: the whole set), batch {@code s} a function of {@code seed} and {@code s}, with the
     * hyperparameters held fixed: the plain-training baseline of a joint run with the same inner steps.
     */
    public void trainWeights(org.hypergrad4j.bilevel.optim.Optimizer optimizer, long steps, int batchSize, long seed) {
        if (batchSize == 0) {
            trainWeights(optimizer, steps);
            return;
        }
        ParamVector gradient = weights().zerosLike();
        for (long s = 0; s < steps; s++) {
            int[] rows = MinibatchSchedule.rows(train.numExamples(), Math.min(batchSize, train.numExamples()), seed,
                    SeedStream.TRAINING_BATCHES, s);
            trainingView.lossAndWeightGradientInto(trainingFeed(rows, SeedStream.TRAINING_NOISE.seed(seed, s)), gradient);
            optimizer.step(weights(), gradient);
        }
    }

    /** The validation feed for the validation examples {@code rows}. */
    public Map<String, INDArray> validationFeed(int[] rows) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(X_VAL, Nd4j.pullRows(validationFeed.get(X_VAL), 1, rows));
        feed.put(Y_VAL, Nd4j.pullRows(validationFeed.get(Y_VAL), 1, rows));
        return feed;
    }

    /** The hypergradient problem on given training and validation feeds (e.g. minibatches of both). */
    public HypergradientProblem hypergradientProblem(Map<String, INDArray> trainingFeed, Map<String, INDArray> validationFeed) {
        return HypergradientProblem.fullBatch(trainingView, trainingFeed, validationView, validationFeed);
    }

    /** The hypergradient problem with the given training feed for the Hessian and mixed products. */
    public HypergradientProblem hypergradientProblem(Map<String, INDArray> trainingFeed) {
        return HypergradientProblem.fullBatch(trainingView, trainingFeed, validationView, validationFeed);
    }

    private org.hypergrad4j.engine.GraphEngine evaluationEngine;

    /** The parts of the data a problem is evaluated on. */
    public enum Part {
        TRAIN("train"), VALIDATION("val"), TEST("test");

        private final String key;

        Part(String key) {
            this.key = key;
        }

        /** The short name used in graph variables and in result keys ({@code train_loss}, {@code val_loss}, …). */
        public String key() {
            return key;
        }
    }

    /** Mean cross-entropy and accuracy on one part of the data. */
    public Evaluation evaluate(Part part) {
        Dataset data;
        Map<String, INDArray> feed;
        String loss;
        switch (part) {
            case TRAIN -> {
                data = train;
                feed = fullTrainingFeed();
                loss = null;
            }
            case VALIDATION -> {
                data = validation;
                feed = validationFeed;
                loss = "L_val";
            }
            case TEST -> {
                if (test == null) {
                    throw new IllegalStateException("This problem has no test data.");
                }
                data = test;
                feed = testFeed;
                loss = "L_test";
            }
            default -> throw new IllegalStateException("unreachable");
        }
        String logits = "logits_" + part.key();
        // The graph engine, not SameDiff's session: an evaluation per hyper-step cost more than the hyper-step on small problems.
        if (evaluationEngine == null) {
            evaluationEngine = org.hypergrad4j.engine.GraphEngine.of(sd);
        }
        Map<String, INDArray> out = evaluationEngine.output(feed, loss == null ? List.of(logits) : List.of(loss, logits));
        double[][] rows = out.get(logits).castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] labels = data.labels();
        int correct = 0;
        double crossEntropy = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] row = rows[i];
            int best = 0;
            double max = row[0];
            for (int j = 1; j < row.length; j++) {
                if (row[j] > max) {
                    max = row[j];
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
            if (loss == null) {
                double sum = 0;
                for (double v : row) {
                    sum += Math.exp(v - max);
                }
                crossEntropy += max + Math.log(sum) - row[labels[i]];
            }
        }
        double lossValue = loss == null ? crossEntropy / labels.length : out.get(loss).getDouble(0);
        return new Evaluation(lossValue, correct / (double) labels.length);
    }

    /** Mean cross-entropy and accuracy. */
    public record Evaluation(double loss, double accuracy) {
    }

    /** Collects and validates the pieces of a {@link BilevelProblem}. */
    public static final class Builder {
        private Model model;
        private final List<HyperparameterKind> kinds = new ArrayList<>();
        private DataType type = DataType.FLOAT;
        private Dataset train;
        private Dataset validation;
        private Dataset test;

        public Builder model(Model m) {
            this.model = Objects.requireNonNull(m, "model");
            return this;
        }

        public Builder tune(HyperparameterKind kind) {
            kinds.add(Objects.requireNonNull(kind, "kind"));
            return this;
        }

        public Builder dataType(DataType t) {
            if (t != DataType.FLOAT && t != DataType.DOUBLE) {
                throw new IllegalArgumentException("Problems compute in FLOAT or DOUBLE, got " + t + ".");
            }
            this.type = t;
            return this;
        }

        public Builder data(Dataset trainingData, Dataset validationData) {
            this.train = Objects.requireNonNull(trainingData, "trainingData");
            this.validation = Objects.requireNonNull(validationData, "validationData");
            return this;
        }

        public Builder testData(Dataset testData) {
            this.test = testData;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming what is missing or inconsistent
         */
        public BilevelProblem build() {
            if (model == null) {
                throw new IllegalArgumentException("No model: call model(...).");
            }
            if (train == null || validation == null) {
                throw new IllegalArgumentException("No data: call data(training, validation).");
            }
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("No hyperparameters to tune: call tune(...) at least once.");
            }
            if (kinds.stream().filter(k -> k instanceof ExampleWeights).count() > 1
                    || kinds.stream().filter(k -> k instanceof DistilledData).count() > 1) {
                throw new IllegalArgumentException("Per-example weights and distilled data can each be tuned once per problem.");
            }
            if (kinds.stream().anyMatch(k -> k instanceof DistilledData)
                    && kinds.stream().anyMatch(k -> k instanceof ExampleWeights || k instanceof AugmentationNetwork)) {
                throw new IllegalArgumentException("Per-example weights and augmentation apply to the training data, which distillation"
                        + " replaces: tune one of them.");
            }
            if (kinds.stream().anyMatch(k -> k instanceof DistilledData) && kinds.stream().anyMatch(k -> k instanceof DropoutRates)) {
                throw new IllegalArgumentException("Dropout on distilled data is not supported: tune one of them.");
            }
            if (kinds.stream().anyMatch(k -> k instanceof DropoutRates) && model.hiddenWidths().length == 0) {
                throw new IllegalArgumentException("Dropout rates apply to hidden layers, and " + model.describe() + " has none.");
            }
            if (kinds.stream().filter(k -> k instanceof AugmentationNetwork).count() > 1
                    || kinds.stream().filter(k -> k instanceof DropoutRates).count() > 1) {
                throw new IllegalArgumentException("One augmentation network and one set of dropout rates per problem.");
            }
            train.requireLabelledExamples("training data");
            validation.requireLabelledExamples("validation data");
            if (test != null) {
                test.requireLabelledExamples("test data");
            }
            for (Dataset d : test == null ? List.of(train, validation) : List.of(train, validation, test)) {
                if (d.numFeatures() != model.inputSize()) {
                    throw new IllegalArgumentException("Data set '" + d.name() + "' has " + d.numFeatures() + " features but the model "
                            + model.describe() + " expects " + model.inputSize() + ".");
                }
                if (d.numClasses() != model.classes()) {
                    throw new IllegalArgumentException("Data set '" + d.name() + "' has " + d.numClasses() + " classes but the model expects "
                            + model.classes() + ".");
                }
            }
            return new BilevelProblem(this);
        }
    }
}
