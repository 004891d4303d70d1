package org.hypergrad4j.hypernets.hypernet;

import org.hypergrad4j.data.SeedStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.autodiff.GradientGraph;
import org.hypergrad4j.autodiff.GradientTransform;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hypernetwork {@code w_φ(λ)} that predicts the weights of a linear softmax classifier
 * ({@code d} features, {@code K} classes: {@code W [d, K]}, {@code b [1, K]}) from its weight-decay
 * hyperparameters {@code λ}, and the losses it is trained and used with, in one SameDiff graph:
 * <pre>
 * λ_s        = λ̂ + δ_s                        (δ fed; s = 1..S samples)
 * θ_s        = [θ₀ +] h_φ(enc(λ_s))           enc = λ, or E(γ) = [cos(πγ/2), sin(πγ/2)] with γ = (λ − lo)/(hi − lo)
 * L_T(θ, λ)  = (1/B) Σ_i CE(x_i W + b, y_i) + Σ_j exp(λ_j) W_j²
 * training objective  = (1/S) Σ_s L_T(θ_s, λ_s)   — differentiated with respect to φ (and θ₀)
 * validation loss     = (1/S) Σ_s (1/B) Σ_i CE     — differentiated with respect to λ̂, with δ = 0
 * </pre>
 * Writing {@code λ = λ̂ + δ} makes one graph serve both modes: global training feeds {@code δ_s = λ_s − λ̂}
 * for draws {@code λ_s ~ p(λ)}; local training feeds {@code δ_s ~ N(0, σ²)}; the hyper-step feeds {@code δ = 0}.
 *
 * <p>Gradients are appended to the graph by {@link GradientTransform} (plain forward ops, cross-entropy from
 * {@link DifferentiableOps}), so the two losses never share SameDiff's single cached gradient function.
 * Parameter arrays are live: optimisers update {@link #hypernetParameters()} and {@link #hyperparameters()}
 * in place. Not thread-safe.
 */
public final class HypernetworkObjective {
    private static final int SESSION_CLEAR_INTERVAL = 200;
    private static final String X = "x";
    private static final String Y = "y";
    private static final String OFFSET = "lambda_offset";
    /** The name of the hyperparameter tensor {@code λ̂}, shape {@code [1, m]}. */
    public static final String LAMBDA_HAT = "lambda_hat";

    private final int features;
    private final int classes;
    private final DecayScope scope;
    private final HyperparameterRange range;
    private final HypernetArchitecture architecture;
    private final DataType type;
    private final long seed;
    private final int hyperparameterCount;
    private final SameDiff sd = SameDiff.create();
    private final List<String> phiNames = new ArrayList<>();
    private final ParamVector phi;
    private final ParamVector lambdaHat;
    private final String trainingObjective;
    private final String validationLoss;
    private final String validationLossPerSample;
    private final String predictedW;
    private final String predictedB;
    private final Map<String, String> trainingGradient = new LinkedHashMap<>();
    private final String validationGradient;
    private long calls;

    private HypernetworkObjective(Builder b) {
        this.features = b.features;
        this.classes = b.classes;
        this.scope = b.scope;
        this.range = b.range;
        this.architecture = b.architecture;
        this.type = b.type;
        this.seed = b.seed;
        int decayed = features * classes;
        this.hyperparameterCount = scope.hyperparameterCount(decayed);
        double initial = Double.isNaN(b.initialLambda) ? (range.lower() + range.upper()) / 2 : b.initialLambda;

        SDVariable x = sd.placeHolder(X, type, -1, -1, features);
        SDVariable y = sd.placeHolder(Y, type, -1, -1, classes);
        SDVariable offset = sd.placeHolder(OFFSET, type, -1, hyperparameterCount);
        SDVariable hat = sd.var(LAMBDA_HAT, Nd4j.valueArrayOf(new long[] {1, hyperparameterCount}, initial, type));
        SDVariable lambda = hat.add(offset);

        SDVariable input = lambda;
        int inputWidth = hyperparameterCount;
        if (architecture.magnitudeInvariantInput()) {
            // γ ∈ [0, 1] inside the range; the angle πγ/2 puts E(γ) on the unit quarter circle (constant norm).
            SDVariable angle = lambda.sub(range.lower()).mul(Math.PI / (2 * range.width()));
            input = sd.concat(1, sd.math.cos(angle), sd.math.sin(angle));
            inputWidth = 2 * hyperparameterCount;
        }
        Random hypernetRandom = new Random(seed);
        SDVariable h = input;
        int prev = inputWidth;
        int[] widths = architecture.hiddenWidths();
        for (int l = 0; l < widths.length; l++) {
            double gain = architecture.activation() == Mlp.Activation.RELU ? Math.sqrt(2) : 1.0;
            SDVariable a = phiVar("hyper_A" + l, gaussian(hypernetRandom, gain / Math.sqrt(prev), prev, widths[l]));
            SDVariable c = phiVar("hyper_c" + l, Nd4j.zeros(type, 1, widths[l]));
            h = activate(h.mmul(a).add(c));
            prev = widths[l];
        }
        SDVariable outW = h.mmul(phiVar("hyper_AW", gaussian(hypernetRandom, 1 / Math.sqrt(prev), prev, decayed)))
                .add(phiVar("hyper_cW", Nd4j.zeros(type, 1, decayed)));
        SDVariable outB = h.mmul(phiVar("hyper_Ab", gaussian(hypernetRandom, 1 / Math.sqrt(prev), prev, classes)))
                .add(phiVar("hyper_cb", Nd4j.zeros(type, 1, classes)));
        if (architecture.residual()) {
            // θ₀ has its own generator so that it is independent of φ's initialisation (Kaiming: N(0, 2/fan_in)).
            Random residualRandom = SeedStream.SECONDARY_INITIALISATION.random(seed, 0);
            outW = outW.add(phiVar("theta0_W", gaussian(residualRandom, Math.sqrt(2.0 / features), 1, decayed)));
            outB = outB.add(phiVar("theta0_b", Nd4j.zeros(type, 1, classes)));
        }
        SDVariable w = outW.reshape(-1, features, classes);
        SDVariable bias = outB.reshape(-1, 1, classes);
        this.predictedW = outW.name();
        this.predictedB = outB.name();
        SDVariable logits = x.mmul(w).add(bias);
        SDVariable crossEntropy = DifferentiableOps.logSoftmax(sd, logits, 2).mul(y).sum(2).neg();
        SDVariable perSample = crossEntropy.mean(1);
        SDVariable decay = sd.math.exp(lambda).mul(sd.math.square(outW)).sum(1);
        SDVariable objective = perSample.add(decay).mean();
        SDVariable validation = perSample.mean();
        this.trainingObjective = objective.name();
        this.validationLoss = validation.name();
        this.validationLossPerSample = perSample.name();

        GradientTransform transform = GradientTransform.withBuiltinRules();
        List<SDVariable> phiVars = new ArrayList<>();
        phiNames.forEach(n -> phiVars.add(sd.getVariable(n)));
        GradientGraph g = transform.append(objective, phiVars);
        phiNames.forEach(n -> trainingGradient.put(n, g.gradient(n).name()));
        this.validationGradient = transform.append(validation, List.of(hat)).gradient(LAMBDA_HAT).name();

        Map<String, INDArray> phiArrays = new LinkedHashMap<>();
        phiNames.forEach(n -> phiArrays.put(n, sd.getVariable(n).getArr()));
        this.phi = ParamVector.wrap(phiArrays);
        this.lambdaHat = ParamVector.of(LAMBDA_HAT, hat.getArr());
    }

    /** A builder for a classifier with {@code features} inputs and {@code classes} classes. */
    public static Builder builder(int features, int classes) {
        return new Builder(features, classes);
    }

    /** The hypernetwork's parameters {@code φ} (and {@code θ₀} when residual), live. */
    public ParamVector hypernetParameters() {
        return phi;
    }

    /** The hyperparameters {@code λ̂} ({@value #LAMBDA_HAT}, shape {@code [1, m]}), live. */
    public ParamVector hyperparameters() {
        return lambdaHat;
    }

    /** {@code λ̂} as a Java array of length {@link #hyperparameterCount()}. */
    public double[] lambdaHat() {
        return lambdaHat.get(LAMBDA_HAT).dup('c').data().asDouble();
    }

    /** The number {@code m} of hyperparameters: 1 for a global decay, {@code d·K} per weight. */
    public int hyperparameterCount() {
        return hyperparameterCount;
    }

    public int featureCount() {
        return features;
    }

    public int classCount() {
        return classes;
    }

    public DecayScope scope() {
        return scope;
    }

    public HyperparameterRange range() {
        return range;
    }

    public HypernetArchitecture architecture() {
        return architecture;
    }

    public DataType dataType() {
        return type;
    }

    /** A value and the gradient of it with respect to a set of parameters. */
    public record ValueAndGradient(double value, ParamVector gradient) {
    }

    /**
     * The training objective {@code (1/S) Σ_s L_T(w_φ(λ_s), λ_s)} on examples {@code x [B, d]}, one-hot
     * {@code y [B, K]}, for the hyperparameters {@code lambdas[s]} (each of length {@code m}), and its
     * gradient with respect to {@link #hypernetParameters()}.
     */
    public ValueAndGradient trainingObjectiveAndGradient(INDArray x, INDArray y, double[][] lambdas) {
        List<String> outputs = new ArrayList<>(trainingGradient.values());
        outputs.add(trainingObjective);
        Map<String, INDArray> out = run(feed(x, y, lambdas, "training objective"), outputs);
        Map<String, INDArray> g = new LinkedHashMap<>();
        trainingGradient.forEach((n, node) -> g.put(n, out.get(node)));
        return new ValueAndGradient(out.get(trainingObjective).getDouble(0), ParamVector.wrap(g));
    }

    /** The training objective alone (see {@link #trainingObjectiveAndGradient}). */
    public double trainingObjective(INDArray x, INDArray y, double[][] lambdas) {
        return run(feed(x, y, lambdas, "training objective"), List.of(trainingObjective)).get(trainingObjective).getDouble(0);
    }

    /**
     * The validation cross-entropy {@code L_V(w_φ(λ̂))} on {@code x [B, d]}, {@code y [B, K]} at the current
     * {@code λ̂}, and its gradient with respect to {@link #hyperparameters()} (through the hypernetwork).
     */
    public ValueAndGradient validationLossAndGradient(INDArray x, INDArray y) {
        double[][] atHat = {lambdaHat()};
        Map<String, INDArray> out = run(feed(x, y, atHat, "validation loss"), List.of(validationLoss, validationGradient));
        return new ValueAndGradient(out.get(validationLoss).getDouble(0), ParamVector.of(LAMBDA_HAT, out.get(validationGradient)));
    }

    /** The cross-entropy of the predicted classifier {@code w_φ(λ_s)} on {@code x}, {@code y}, for each {@code λ_s}. */
    public double[] crossEntropies(INDArray x, INDArray y, double[][] lambdas) {
        return run(feed(x, y, lambdas, "cross-entropies"), List.of(validationLossPerSample)).get(validationLossPerSample)
                .dup('c').data().asDouble();
    }

    /** The predicted classifier {@code w_φ(λ)}: tensors {@code W [d, K]} and {@code b [1, K]}. */
    public ParamVector predictedWeights(double[] lambda) {
        INDArray noX = Nd4j.zeros(type, 1, features);
        INDArray noY = Nd4j.zeros(type, 1, classes);
        Map<String, INDArray> out = run(feed(noX, noY, new double[][] {lambda}, "predicted weights"), List.of(predictedW, predictedB));
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("W", out.get(predictedW).reshape('c', features, classes));
        m.put("b", out.get(predictedB).reshape('c', 1, classes));
        return ParamVector.wrap(m);
    }

    private Map<String, INDArray> feed(INDArray x, INDArray y, double[][] lambdas, String purpose) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(lambdas, "lambdas");
        if (x.rank() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("Features 'x' for the " + purpose + " must have shape [B, " + features + "], got "
                    + Arrays.toString(x.shape()) + ".");
        }
        if (y.rank() != 2 || y.size(1) != classes || y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("One-hot labels 'y' for the " + purpose + " must have shape [" + x.size(0) + ", " + classes
                    + "] to match x " + Arrays.toString(x.shape()) + ", got " + Arrays.toString(y.shape()) + ".");
        }
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("The " + purpose + " needs at least one λ sample, got none.");
        }
        int samples = lambdas.length;
        double[] hat = lambdaHat();
        double[][] offsets = new double[samples][];
        for (int s = 0; s < samples; s++) {
            if (lambdas[s] == null || lambdas[s].length != hyperparameterCount) {
                throw new IllegalArgumentException("λ sample " + s + " for the " + purpose + " has "
                        + (lambdas[s] == null ? "no" : Integer.toString(lambdas[s].length)) + " entries; this " + scope
                        + " hypernetwork has " + hyperparameterCount + " hyperparameters.");
            }
            offsets[s] = new double[hyperparameterCount];
            for (int j = 0; j < hyperparameterCount; j++) {
                offsets[s][j] = lambdas[s][j] - hat[j];
            }
        }
        long n = x.size(0);
        Map<String, INDArray> f = new HashMap<>();
        f.put(X, tile(x.castTo(type), samples, n, features));
        f.put(Y, tile(y.castTo(type), samples, n, classes));
        f.put(OFFSET, Nd4j.createFromArray(offsets).castTo(type));
        return f;
    }

    private static INDArray tile(INDArray a, int samples, long rows, int cols) {
        return a.reshape('c', 1, rows, cols).broadcast(samples, rows, cols).dup('c');
    }

    private Map<String, INDArray> run(Map<String, INDArray> feed, List<String> outputs) {
        Map<String, INDArray> out = sd.output(feed, outputs);
        Map<String, INDArray> copies = new HashMap<>();
        // Session arrays may be reused by the next call: keep our own copies.
        out.forEach((k, a) -> copies.put(k, a.dup()));
        // InferenceSession keeps a little heap per call (docs/ARCHITECTURE.md): clear it periodically.
        if (++calls % SESSION_CLEAR_INTERVAL == 0) {
            sd.getSessions().clear();
        }
        return copies;
    }

    private SDVariable phiVar(String name, INDArray init) {
        phiNames.add(name);
        return sd.var(name, init.castTo(type));
    }

    private SDVariable activate(SDVariable z) {
        return switch (architecture.activation()) {
            case RELU -> sd.nn.relu(z, 0.0);
            case TANH -> sd.math.tanh(z);
            case SIGMOID -> sd.nn.sigmoid(z);
        };
    }

    private static INDArray gaussian(Random rnd, double std, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian() * std;
        }
        return Nd4j.createFromArray(v).reshape('c', rows, cols);
    }

    /** One line naming the classifier, the decay, the range, the hypernetwork and the initialisation seed. */
    public String describe() {
        return structure() + ", seed " + seed;
    }

    /**
     * What a checkpoint must match: {@link #describe()} without the seed, which only sets the initial values that a
     * restored checkpoint replaces.
     */
    String structure() {
        return "linear softmax classifier " + features + "→" + classes + ", " + scope.name().toLowerCase().replace('_', '-')
                + " decay exp(λ) over " + range + ", hypernetwork " + architecture.describe() + ", " + type;
    }

    /** Configures a {@link HypernetworkObjective}; every setting has a default except the sizes. */
    public static final class Builder {
        private final int features;
        private final int classes;
        private DecayScope scope = DecayScope.GLOBAL;
        private HyperparameterRange range = new HyperparameterRange(-10, 0);
        private HypernetArchitecture architecture = HypernetArchitecture.linear();
        private DataType type = DataType.FLOAT;
        private long seed = 0;
        private double initialLambda = Double.NaN;

        private Builder(int features, int classes) {
            if (features < 1 || classes < 2) {
                throw new IllegalArgumentException("The classifier needs at least 1 feature and 2 classes, got " + features + " and "
                        + classes + ".");
            }
            this.features = features;
            this.classes = classes;
        }

        /** {@link DecayScope#GLOBAL} by default. */
        public Builder scope(DecayScope s) {
            this.scope = Objects.requireNonNull(s, "scope");
            return this;
        }

        /** The range of {@code λ} (log decay) the hypernetwork covers; {@code [−10, 0]} by default. */
        public Builder range(HyperparameterRange r) {
            this.range = Objects.requireNonNull(r, "range");
            return this;
        }

        /** {@link HypernetArchitecture#linear()} by default. */
        public Builder architecture(HypernetArchitecture a) {
            this.architecture = Objects.requireNonNull(a, "architecture");
            return this;
        }

        /** Float32 by default; float64 for gradient checks. */
        public Builder dataType(DataType t) {
            if (t != DataType.FLOAT && t != DataType.DOUBLE) {
                throw new IllegalArgumentException("The hypernetwork runs in FLOAT or DOUBLE, got " + t + ".");
            }
            this.type = t;
            return this;
        }

        /** Seeds the initialisation of {@code φ} and {@code θ₀}; 0 by default. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The starting {@code λ̂} (every component); the range's midpoint by default. */
        public Builder initialLambda(double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("The initial λ̂ must be finite, got " + value + ".");
            }
            this.initialLambda = value;
            return this;
        }

        public HypernetworkObjective build() {
            return new HypernetworkObjective(this);
        }
    }
}
