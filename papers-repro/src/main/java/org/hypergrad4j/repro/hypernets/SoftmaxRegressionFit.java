package org.hypergrad4j.repro.hypernets;

import java.util.Arrays;
import java.util.Objects;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The grid-search reference for the hypernetwork experiments: multinomial logistic regression fitted to
 * convergence in float64 on plain Java arrays, independently of SameDiff and of the hypernetwork code. It
 * minimises the bilevel module's training loss for a linear model with weight decay,
 * <pre>
 * L_T(W, b; λ) = (1/N) Σ_i CE(x_i W + b, y_i) + Σ_{j,k} exp(λ_jk) W_jk²   (biases not decayed)
 * </pre>
 * with the project's L-BFGS ({@link LbfgsSolver#minimize}, memory 10), until {@code ‖∇L_T‖₂ ≤ tolerance}. The loss is strictly convex in
 * {@code W} and convex in {@code b}, so the solution does not depend on the start (zeros).
 */
public final class SoftmaxRegressionFit {
    private static final int MEMORY = 10;

    private final double[][] x;
    private final int[] y;
    private final int features;
    private final int classes;

    public SoftmaxRegressionFit(Dataset training) {
        Objects.requireNonNull(training, "training");
        this.x = training.toFeatures(DataType.DOUBLE).toDoubleMatrix();
        this.y = training.labels();
        this.features = training.numFeatures();
        this.classes = training.numClasses();
    }

    /**
     * A fitted model.
     *
     * @param weights    {@code W} in C order ({@code [d, K]}) followed by {@code b} ({@code [K]})
     * @param objective  {@code L_T} at the solution
     * @param gradientNorm {@code ‖∇L_T‖₂} at the solution
     * @param iterations loss-and-gradient evaluations of the L-BFGS run ({@link LbfgsSolver#minimize}, the project's one L-BFGS)
     */
    public record Fit(double[] weights, double objective, double gradientNorm, int iterations, boolean converged) {
    }

    /** Fits with one log decay {@code λ} for every weight. */
    public Fit fitGlobal(double lambda, double tolerance, int maxIterations) {
        double[] decay = new double[features * classes];
        Arrays.fill(decay, lambda);
        return fit(decay, tolerance, maxIterations);
    }

    /**
     * Fits with log decays {@code lambdas} (length {@code d·K}, {@code W} in C order).
     *
     * @throws IllegalArgumentException if {@code lambdas} has the wrong length or a non-finite entry
     */
    public Fit fit(double[] lambdas, double tolerance, int maxIterations) {
        return fit(lambdas, null, tolerance, maxIterations);
    }

    /**
     * Fits with log decays {@code lambdas}, starting L-BFGS at {@code start} (layout as in {@link Fit#weights()}; null for
     * zeros). The solution does not depend on the start (strict convexity in {@code W}); a nearby start only saves
     * iterations, e.g. along a path of slowly changing {@code λ}.
     *
     * @throws IllegalArgumentException if {@code lambdas} or {@code start} has the wrong length or a non-finite entry
     */
    public Fit fit(double[] lambdas, double[] start, double tolerance, int maxIterations) {
        int n = parameterCount();
        if (start != null && start.length != n) {
            throw new IllegalArgumentException("Expected a start of " + n + " weights (W then b), got " + start.length + ".");
        }
        double[] decay = decays(lambdas);
        LbfgsSolver.Minimum m = new LbfgsSolver(MEMORY).minimize((w, g) -> valueAndGradient(w, decay, g),
                start == null ? new double[n] : start, tolerance, maxIterations);
        return new Fit(m.weights(), m.value(), m.gradientNorm(), m.evaluations(), m.gradientNorm() <= tolerance);
    }

    /** {@code d·K + K}: the weights {@code W} and the biases {@code b}. */
    public int parameterCount() {
        return features * classes + classes;
    }

    /** {@code L_T(w; λ)} at {@code weights} (layout as in {@link Fit#weights()}). */
    public double trainingObjective(double[] weights, double[] lambdas) {
        return valueAndGradient(weights, decays(lambdas), new double[parameterCount()]);
    }

    /** {@code ∇_w L_T(w; λ)} at {@code weights} (layout as in {@link Fit#weights()}). */
    public double[] trainingGradient(double[] weights, double[] lambdas) {
        double[] g = new double[parameterCount()];
        valueAndGradient(weights, decays(lambdas), g);
        return g;
    }

    /**
     * The Hessian-vector product {@code ∇²_w L_T(w; λ) v} of the training objective:
     * {@code (1/N) Σ_i J_iᵀ (diag(p_i) − p_i p_iᵀ) J_i v + 2 exp(λ) ⊙ v_W}, with {@code p_i = softmax(x_i W + b)} and
     * {@code J_i v = x_i V_W + v_b} (biases not decayed).
     */
    public double[] hessianVector(double[] weights, double[] lambdas, double[] v) {
        double[] decay = decays(lambdas);
        int dk = features * classes;
        double[] out = new double[parameterCount()];
        double[] z = new double[classes];
        double[] dz = new double[classes];
        for (int i = 0; i < x.length; i++) {
            logits(weights, x[i], features, classes, z);
            logits(v, x[i], features, classes, dz);
            double lse = logSumExp(z);
            double mean = 0;
            for (int k = 0; k < classes; k++) {
                z[k] = Math.exp(z[k] - lse);
                mean += z[k] * dz[k];
            }
            for (int k = 0; k < classes; k++) {
                double r = z[k] * (dz[k] - mean);
                for (int j = 0; j < features; j++) {
                    out[j * classes + k] += x[i][j] * r;
                }
                out[dk + k] += r;
            }
        }
        double inv = 1.0 / x.length;
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        for (int j = 0; j < dk; j++) {
            out[j] += 2 * decay[j] * v[j];
        }
        return out;
    }

    /** The gradient of the mean cross-entropy on {@code data} with respect to the weights (layout as in {@link Fit#weights()}). */
    public static double[] crossEntropyGradient(double[] weights, Dataset data) {
        double[][] xs = data.toFeatures(DataType.DOUBLE).toDoubleMatrix();
        int[] labels = data.labels();
        int d = data.numFeatures();
        int k = data.numClasses();
        double[] grad = new double[d * k + k];
        double[] z = new double[k];
        for (int i = 0; i < xs.length; i++) {
            logits(weights, xs[i], d, k, z);
            double lse = logSumExp(z);
            for (int c = 0; c < k; c++) {
                double r = Math.exp(z[c] - lse) - (c == labels[i] ? 1 : 0);
                for (int j = 0; j < d; j++) {
                    grad[j * k + c] += xs[i][j] * r;
                }
                grad[d * k + c] += r;
            }
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] /= xs.length;
        }
        return grad;
    }

    private double[] decays(double[] lambdas) {
        if (lambdas.length != features * classes) {
            throw new IllegalArgumentException("Expected " + features * classes + " log decays (one per weight of W [" + features + ", "
                    + classes + "]), got " + lambdas.length + ".");
        }
        double[] decay = new double[lambdas.length];
        for (int j = 0; j < decay.length; j++) {
            if (!Double.isFinite(lambdas[j])) {
                throw new IllegalArgumentException("Log decay " + j + " is " + lambdas[j] + "; it must be finite.");
            }
            decay[j] = Math.exp(lambdas[j]);
        }
        return decay;
    }

    /** Mean cross-entropy of the model {@code weights} (layout as in {@link Fit#weights()}) on {@code data}. */
    public static double crossEntropy(double[] weights, Dataset data) {
        double[][] xs = data.toFeatures(DataType.DOUBLE).toDoubleMatrix();
        int[] labels = data.labels();
        int d = data.numFeatures();
        int k = data.numClasses();
        double total = 0;
        double[] z = new double[k];
        for (int i = 0; i < xs.length; i++) {
            logits(weights, xs[i], d, k, z);
            total += logSumExp(z) - z[labels[i]];
        }
        return total / xs.length;
    }

    /** {@code L_T(w)} and its gradient (into {@code grad}). */
    private double valueAndGradient(double[] w, double[] decay, double[] grad) {
        Arrays.fill(grad, 0);
        int dk = features * classes;
        double total = 0;
        double[] z = new double[classes];
        for (int i = 0; i < x.length; i++) {
            logits(w, x[i], features, classes, z);
            double lse = logSumExp(z);
            total += lse - z[y[i]];
            for (int k = 0; k < classes; k++) {
                double r = Math.exp(z[k] - lse) - (k == y[i] ? 1 : 0);
                for (int j = 0; j < features; j++) {
                    grad[j * classes + k] += x[i][j] * r;
                }
                grad[dk + k] += r;
            }
        }
        double inv = 1.0 / x.length;
        for (int i = 0; i < grad.length; i++) {
            grad[i] *= inv;
        }
        double value = total * inv;
        for (int j = 0; j < dk; j++) {
            value += decay[j] * w[j] * w[j];
            grad[j] += 2 * decay[j] * w[j];
        }
        return value;
    }

    private static void logits(double[] w, double[] xi, int d, int k, double[] z) {
        int dk = d * k;
        for (int c = 0; c < k; c++) {
            z[c] = w[dk + c];
        }
        for (int j = 0; j < d; j++) {
            double v = xi[j];
            int row = j * k;
            for (int c = 0; c < k; c++) {
                z[c] += v * w[row + c];
            }
        }
    }

    private static double logSumExp(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }
}
