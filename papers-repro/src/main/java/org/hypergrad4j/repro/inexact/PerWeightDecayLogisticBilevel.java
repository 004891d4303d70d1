package org.hypergrad4j.repro.inexact;

import org.hypergrad4j.core.ArraySecondOrderView;
import java.util.Map;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hypergrad4j.bilevel.inexact.InexactProblem;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.core.CurvatureProducts;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multinomial logistic regression with one L2 regulariser {@code exp(θ_jk)} per weight, as a bilevel problem
 * for MAID and HOAG (the MAID paper's second experiment). Weights {@code W} ({@code d × K}, no bias),
 * hyperparameters {@code θ} ({@code d × K}, one per weight):
 * <pre>
 * lower  g(W, θ) = (1/n) Σ_i [lse(x_iᵀW) − y_iᵀWᵀx_i] + ½ Σ_jk exp(θ_jk) W_jk²      (training set)
 * upper  f(W)    = (1/m) Σ_i [lse(x̃_iᵀW) − ỹ_iᵀWᵀx̃_i]                               (validation set)
 * </pre>
 * with {@code lse(z) = log Σ_k exp(z_k)} and one-hot labels {@code y}. There is no bias: with a free bias the
 * softmax's invariance to adding a constant to every logit would leave {@code g} without strong convexity.
 *
 * <p>Derivatives (all hand-written, float64; {@code P = softmax(XW)} row-wise, {@code V} a direction):
 * {@code ∇_W g = Xᵀ(P − Y)/n + e^θ ⊙ W}, {@code ∇_θ g = ½ e^θ ⊙ W²},
 * {@code ∇²_W g[V] = Xᵀ(P ⊙ XV − P ⊙ rowsum(P ⊙ XV))/n + e^θ ⊙ V} and
 * {@code (∂²g/∂θ∂W) V = e^θ ⊙ W ⊙ V} (the mixed derivative is diagonal).
 *
 * <p>MAID's constants ({@link #constants}), each a safe bound at the current {@code (W, θ)}:
 * <ul>
 *   <li>{@code μ = min_jk exp(θ_jk)}: the cross-entropy is convex, the regulariser adds {@code diag(e^θ)}.</li>
 *   <li>{@code L_g = ½ λ_max(XᵀX)/n + max_jk exp(θ_jk)}: Böhning's bound
 *       {@code diag(p) − ppᵀ ⪯ ½ I} on the softmax Hessian gives {@code ∇²CE ⪯ ½ λ_max(XᵀX)/n · I}.</li>
 *   <li>{@code L_f = ½ λ_max(X̃ᵀX̃)/m}, the same bound on the validation set ({@code ∇_θ f = 0}).</li>
 *   <li>{@code ‖∂²g/∂θ∂W‖ = max_jk |e^θ_jk W_jk|}, exactly (a diagonal operator), at the current {@code W}.</li>
 *   <li>{@code L_B = max_jk exp(θ_jk)}: {@code ‖diag(e^θ ⊙ (W − W'))‖ ≤ max e^θ ‖W − W'‖}.</li>
 *   <li>{@code L_H = 2 max_i ‖x_i‖ λ_max(XᵀX)/n}: the third derivative of {@code lse} in a unit direction
 *       {@code u} is {@code E_p[(u − ū)³]}, at most {@code 2‖u‖_∞³ ≤ 2} in size, so
 *       {@code ‖∇²lse(z) − ∇²lse(z')‖ ≤ 2‖z − z'‖}; with {@code z_i = Wᵀx_i},
 *       {@code ‖z_i − z_i'‖ ≤ ‖x_i‖ ‖W − W'‖} and {@code Σ_i ‖Vᵀx_i‖² ≤ λ_max(XᵀX)‖V‖²}.</li>
 *   <li>{@code L_∇F}: not estimated ({@code NaN}).</li>
 * </ul>
 * {@code λ_max} is computed by a symmetric eigendecomposition of the {@code d × d} Gram matrix.
 *
 * <p>The weights start at zero and θ at one common value. All arithmetic is float64.
 */
public final class PerWeightDecayLogisticBilevel {
    /** The weight tensor's name. */
    public static final String WEIGHTS = "W";
    /** The hyperparameter tensor's name. */
    public static final String DECAYS = "theta";

    private final Block train;
    private final Block validation;
    private final int features;
    private final int classes;
    private final INDArray weights;
    private final INDArray theta;
    private final double trainCurvature;
    private final double validationCurvature;
    private final double maxTrainRowNorm;
    private final InexactProblem problem;

    /**
     * @param train        training set (standardised features), the lower level's data
     * @param validation   validation set, the upper level's data; same features and classes as {@code train}
     * @param initialTheta the initial value of every {@code θ_jk} (the weights start at zero)
     * @throws IllegalArgumentException if a set is not a classification set, the sets disagree in features or
     *     classes, or {@code initialTheta} is not finite
     */
    public PerWeightDecayLogisticBilevel(Dataset train, Dataset validation, double initialTheta) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        if (!train.isClassification() || !validation.isClassification()) {
            throw new IllegalArgumentException("Logistic regression needs classification sets, got '" + train.name()
                    + "' (" + train.task() + ") and '" + validation.name() + "' (" + validation.task() + ").");
        }
        if (train.numFeatures() != validation.numFeatures() || train.numClasses() != validation.numClasses()) {
            throw new IllegalArgumentException("Training set '" + train.name() + "' has " + train.numFeatures() + " features and "
                    + train.numClasses() + " classes but validation set '" + validation.name() + "' has "
                    + validation.numFeatures() + " and " + validation.numClasses() + ".");
        }
        if (!Double.isFinite(initialTheta)) {
            throw new IllegalArgumentException("The initial θ must be finite, got " + initialTheta + ".");
        }
        this.features = train.numFeatures();
        this.classes = train.numClasses();
        this.train = new Block(train);
        this.validation = new Block(validation);
        this.weights = Nd4j.zeros(DataType.DOUBLE, features, classes);
        this.theta = Nd4j.valueArrayOf(new long[] {features, classes}, initialTheta, DataType.DOUBLE);
        this.trainCurvature = this.train.largestGramEigenvalue() / this.train.rows;
        this.validationCurvature = this.validation.largestGramEigenvalue() / this.validation.rows;
        this.maxTrainRowNorm = this.train.maxRowNorm();
        this.problem = new InexactProblem(new Lower(weights, theta), Map.of(), new Upper(weights, theta), Map.of(), this::constants);
    }

    /** The bilevel problem over this object's live weight and hyperparameter arrays. */
    public InexactProblem problem() {
        return problem;
    }

    /** The live weights {@code W} ({@code d × K}). */
    public INDArray weights() {
        return weights;
    }

    /** The live hyperparameters {@code θ} ({@code d × K}). */
    public INDArray theta() {
        return theta;
    }

    /** The constants described in the class comment, at the given point. */
    public InexactProblem.Constants constants(ParamVector w, ParamVector lambda) {
        double[] wv = ArraySecondOrderView.flat(w.get(WEIGHTS));
        double[] th = ArraySecondOrderView.flat(lambda.get(DECAYS));
        double minDecay = Double.POSITIVE_INFINITY;
        double maxDecay = 0;
        double mixedNorm = 0;
        for (int j = 0; j < th.length; j++) {
            double decay = Math.exp(th[j]);
            minDecay = Math.min(minDecay, decay);
            maxDecay = Math.max(maxDecay, decay);
            mixedNorm = Math.max(mixedNorm, Math.abs(decay * wv[j]));
        }
        return new InexactProblem.Constants(minDecay, 0.5 * trainCurvature + maxDecay, 0.5 * validationCurvature, mixedNorm,
                maxDecay, 2 * maxTrainRowNorm * trainCurvature, Double.NaN);
    }

    /**
     * The upper-level value at the lower level's solution, {@code F(θ) = f(W*(θ))}, for the current θ: solves the
     * lower level by L-BFGS (memory 10) from the current weights until {@code ‖∇_W g‖ ≤ gradientTolerance}, reads
     * {@code f}, and puts the weights back. Its iterations are not part of any method's cost.
     *
     * @throws IllegalStateException if the solver stops above the tolerance
     */
    public double upperValueAtSolution(double gradientTolerance) {
        INDArray saved = weights.dup();
        try {
            solveLowerLevel(gradientTolerance);
            return problem.upper().loss(Map.of());
        } finally {
            weights.assign(saved);
        }
    }

    /**
     * Moves the weights to the lower-level solution for the current θ, to {@code ‖∇_W g‖ ≤ gradientTolerance}.
     *
     * @throws IllegalStateException if L-BFGS stops above the tolerance (20,000 evaluations, or no further progress
     *     possible in float64)
     */
    public void solveLowerLevel(double gradientTolerance) {
        new LbfgsSolver(10).solve(problem.lower(), Map.of(), gradientTolerance, 20_000);
        double reached = problem.lower().lossAndGradient(Map.of()).weightGradient().norm2();
        if (!(reached <= gradientTolerance)) {
            throw new IllegalStateException("L-BFGS stopped at ‖∇_W g‖ = " + reached + " above the tolerance "
                    + gradientTolerance + ".");
        }
    }

    /** The fraction of a data set's examples whose arg-max logit {@code x_iᵀW} (current weights) is the label. */
    public double accuracy(Dataset data) {
        checkShape(data);
        Block block = new Block(data);
        double[] logits = block.logits(ArraySecondOrderView.flat(weights));
        int correct = 0;
        for (int i = 0; i < block.rows; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[i * classes + k] > logits[i * classes + best]) {
                    best = k;
                }
            }
            if (best == block.labels[i]) {
                correct++;
            }
        }
        return correct / (double) block.rows;
    }

    /** Mean cross-entropy of a data set at the current weights. */
    public double crossEntropy(Dataset data) {
        checkShape(data);
        Block block = new Block(data);
        return block.crossEntropy(ArraySecondOrderView.flat(weights), null);
    }

    private void checkShape(Dataset data) {
        Objects.requireNonNull(data, "data").requireShape(features, classes, "this problem (like its training set)");
    }

    /** One data set as a row-major {@code n × d} feature matrix and labels, with the cross-entropy's derivatives. */
    private final class Block {
        final int rows;
        final double[] x;
        final int[] labels;

        Block(Dataset data) {
            this.rows = data.numExamples();
            this.x = new double[rows * features];
            this.labels = data.labels();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(data.row(i), 0, x, i * features, features);
            }
        }

        /** {@code XW} ({@code n × K}, row-major). */
        double[] logits(double[] w) {
            double[] z = new double[rows * classes];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < features; j++) {
                    double xij = x[i * features + j];
                    if (xij != 0) {
                        for (int k = 0; k < classes; k++) {
                            z[i * classes + k] += xij * w[j * classes + k];
                        }
                    }
                }
            }
            return z;
        }

        /**
         * {@code (1/n) Σ_i [lse(z_i) − z_{i,y_i}]}; if {@code probabilities} is not null it receives
         * {@code softmax(XW)} row by row.
         */
        double crossEntropy(double[] w, double[] probabilities) {
            double[] z = logits(w);
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, z[i * classes + k]);
                }
                double total = 0;
                for (int k = 0; k < classes; k++) {
                    double e = Math.exp(z[i * classes + k] - max);
                    total += e;
                    if (probabilities != null) {
                        probabilities[i * classes + k] = e;
                    }
                }
                if (probabilities != null) {
                    for (int k = 0; k < classes; k++) {
                        probabilities[i * classes + k] /= total;
                    }
                }
                sum += max + Math.log(total) - z[i * classes + labels[i]];
            }
            return sum / rows;
        }

        /** {@code Xᵀ A / n} for a row-major {@code n × K} matrix {@code A}, added into {@code out} ({@code d × K}). */
        void addTransposedProduct(double[] a, double[] out) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < features; j++) {
                    double xij = x[i * features + j] / rows;
                    if (xij != 0) {
                        for (int k = 0; k < classes; k++) {
                            out[j * classes + k] += xij * a[i * classes + k];
                        }
                    }
                }
            }
        }

        /** {@code ∇_W CE = Xᵀ(P − Y)/n} into {@code out}, given {@code P}. */
        void addGradient(double[] p, double[] out) {
            double[] residual = p.clone();
            for (int i = 0; i < rows; i++) {
                residual[i * classes + labels[i]] -= 1;
            }
            addTransposedProduct(residual, out);
        }

        /** {@code ∇²_W CE [V] = Xᵀ(P ⊙ XV − P ⊙ rowsum(P ⊙ XV))/n} into {@code out}, given {@code P}. */
        void addHessianVector(double[] p, double[] v, double[] out) {
            double[] zv = logits(v);
            for (int i = 0; i < rows; i++) {
                double rowSum = 0;
                for (int k = 0; k < classes; k++) {
                    zv[i * classes + k] *= p[i * classes + k];
                    rowSum += zv[i * classes + k];
                }
                for (int k = 0; k < classes; k++) {
                    zv[i * classes + k] -= p[i * classes + k] * rowSum;
                }
            }
            addTransposedProduct(zv, out);
        }

        double largestGramEigenvalue() {
            DMatrixRMaj gram = new DMatrixRMaj(features, features);
            for (int i = 0; i < rows; i++) {
                for (int a = 0; a < features; a++) {
                    double xa = x[i * features + a];
                    for (int b = 0; b < features; b++) {
                        gram.add(a, b, xa * x[i * features + b]);
                    }
                }
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(features, false, true);
            if (!eig.decompose(gram)) {
                throw new IllegalStateException("The eigendecomposition of the " + features + " × " + features + " Gram matrix failed.");
            }
            double max = 0;
            for (int i = 0; i < features; i++) {
                max = Math.max(max, eig.getEigenvalue(i).getReal());
            }
            return max;
        }

        double maxRowNorm() {
            double max = 0;
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < features; j++) {
                    s += x[i * features + j] * x[i * features + j];
                }
                max = Math.max(max, Math.sqrt(s));
            }
            return max;
        }
    }

    /** The lower level {@code g}: training cross-entropy plus the per-weight decay. */
    private final class Lower extends ArraySecondOrderView {
        Lower(INDArray sharedWeights, INDArray sharedTheta) {
            super("lower", WEIGHTS, sharedWeights, DECAYS, sharedTheta);
        }

        @Override
        public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
            double[] w = flat(weights);
            double[] th = flat(theta);
            double[] p = new double[train.rows * classes];
            double loss = train.crossEntropy(w, p);
            double[] gradW = new double[w.length];
            double[] gradTheta = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                double decayed = Math.exp(th[j]) * w[j];
                loss += 0.5 * decayed * w[j];
                gradW[j] = decayed;
                gradTheta[j] = 0.5 * decayed * w[j];
            }
            train.addGradient(p, gradW);
            return new LossAndGradient(loss, weightVector(gradW), hyperparameterVector(gradTheta));
        }

        @Override
        public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
            double[] dir = flat(weightDirection(v));
            double[] w = flat(weights);
            double[] th = flat(theta);
            double[] p = new double[train.rows * classes];
            train.crossEntropy(w, p);
            double[] hv = new double[w.length];
            double[] mixed = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                double decay = Math.exp(th[j]);
                hv[j] = decay * dir[j];
                mixed[j] = decay * w[j] * dir[j];
            }
            train.addHessianVector(p, dir, hv);
            return new CurvatureProducts(weightVector(hv), hyperparameterVector(mixed));
        }

        @Override
        public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
            double[] dir = flat(hyperparameterDirection(u));
            double[] w = flat(weights);
            double[] th = flat(theta);
            double[] out = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                out[j] = Math.exp(th[j]) * w[j] * dir[j];
            }
            return weightVector(out);
        }
    }

    /** The upper level {@code f}: validation cross-entropy (independent of θ). */
    private final class Upper extends ArraySecondOrderView {
        Upper(INDArray sharedWeights, INDArray sharedTheta) {
            super("upper", WEIGHTS, sharedWeights, DECAYS, sharedTheta);
        }

        @Override
        public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
            double[] w = flat(weights);
            double[] p = new double[validation.rows * classes];
            double loss = validation.crossEntropy(w, p);
            double[] gradW = new double[w.length];
            validation.addGradient(p, gradW);
            return new LossAndGradient(loss, weightVector(gradW), hyperparameterVector(new double[w.length]));
        }

        @Override
        public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
            double[] dir = flat(weightDirection(v));
            double[] w = flat(weights);
            double[] p = new double[validation.rows * classes];
            validation.crossEntropy(w, p);
            double[] hv = new double[w.length];
            validation.addHessianVector(p, dir, hv);
            return new CurvatureProducts(weightVector(hv), hyperparameterVector(new double[w.length]));
        }

        @Override
        public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
            hyperparameterDirection(u);
            return weightVector(new double[(int) weights.length()]);
        }
    }
}
