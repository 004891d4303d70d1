package org.hypergrad4j.experiments.hypernet;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Objects;
import org.hypergrad4j.bilevel.problem.LabeledData;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The grid-search reference for the hypernetwork experiments: multinomial logistic regression fitted to
 * convergence in float64 on plain Java arrays, independently of SameDiff and of the hypernetwork code. It
 * minimises the bilevel module's training loss for a linear model with weight decay,
 * <pre>
 * L_T(W, b; λ) = (1/N) Σ_i CE(x_i W + b, y_i) + Σ_{j,k} exp(λ_jk) W_jk²   (biases not decayed)
 * </pre>
 * with L-BFGS (memory 10, Armijo backtracking), until {@code ‖∇L_T‖₂ ≤ tolerance}. The loss is strictly convex in
 * {@code W} and convex in {@code b}, so the solution does not depend on the start (zeros).
 */
public final class SoftmaxRegressionFit {
    private static final int MEMORY = 10;

    private final double[][] x;
    private final int[] y;
    private final int features;
    private final int classes;

    public SoftmaxRegressionFit(LabeledData training) {
        Objects.requireNonNull(training, "training");
        this.x = training.featureArray(DataType.DOUBLE).toDoubleMatrix();
        this.y = training.labels();
        this.features = training.featureCount();
        this.classes = training.classes();
    }

    /**
     * A fitted model.
     *
     * @param weights    {@code W} in C order ({@code [d, K]}) followed by {@code b} ({@code [K]})
     * @param objective  {@code L_T} at the solution
     * @param gradientNorm {@code ‖∇L_T‖₂} at the solution
     * @param iterations L-BFGS iterations used
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
        int n = features * classes + classes;
        double[] w = new double[n];
        double[] g = new double[n];
        double f = valueAndGradient(w, decay, g);
        Deque<double[]> sHistory = new ArrayDeque<>();
        Deque<double[]> yHistory = new ArrayDeque<>();
        int it = 0;
        while (norm(g) > tolerance && it < maxIterations) {
            double[] d = direction(g, sHistory, yHistory);
            double slope = dot(d, g);
            if (slope >= 0) {
                // Not a descent direction (stale curvature pairs): restart from steepest descent.
                sHistory.clear();
                yHistory.clear();
                d = scale(g, -1);
                slope = dot(d, g);
            }
            double step = 1;
            double[] wNew = new double[n];
            double[] gNew = new double[n];
            double fNew;
            while (true) {
                for (int i = 0; i < n; i++) {
                    wNew[i] = w[i] + step * d[i];
                }
                fNew = valueAndGradient(wNew, decay, gNew);
                if (fNew <= f + 1e-4 * step * slope || step < 1e-12) {
                    break;
                }
                step /= 2;
            }
            double[] s = new double[n];
            double[] yy = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = wNew[i] - w[i];
                yy[i] = gNew[i] - g[i];
            }
            if (dot(s, yy) > 1e-12) {
                sHistory.addLast(s);
                yHistory.addLast(yy);
                if (sHistory.size() > MEMORY) {
                    sHistory.removeFirst();
                    yHistory.removeFirst();
                }
            }
            w = wNew;
            g = gNew;
            f = fNew;
            it++;
        }
        double gn = norm(g);
        return new Fit(w, f, gn, it, gn <= tolerance);
    }

    /** Mean cross-entropy of the model {@code weights} (layout as in {@link Fit#weights()}) on {@code data}. */
    public static double crossEntropy(double[] weights, LabeledData data) {
        double[][] xs = data.featureArray(DataType.DOUBLE).toDoubleMatrix();
        int[] labels = data.labels();
        int d = data.featureCount();
        int k = data.classes();
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

    /** The L-BFGS two-loop recursion: {@code −H g} for the inverse-Hessian estimate {@code H} of the stored pairs. */
    private static double[] direction(double[] g, Deque<double[]> sHistory, Deque<double[]> yHistory) {
        double[] q = g.clone();
        int m = sHistory.size();
        double[] alpha = new double[m];
        double[][] ss = sHistory.toArray(new double[0][]);
        double[][] ys = yHistory.toArray(new double[0][]);
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = dot(ss[i], q) / dot(ys[i], ss[i]);
            for (int j = 0; j < q.length; j++) {
                q[j] -= alpha[i] * ys[i][j];
            }
        }
        double gamma = m == 0 ? 1 : dot(ss[m - 1], ys[m - 1]) / dot(ys[m - 1], ys[m - 1]);
        for (int j = 0; j < q.length; j++) {
            q[j] *= gamma;
        }
        for (int i = 0; i < m; i++) {
            double beta = dot(ys[i], q) / dot(ys[i], ss[i]);
            for (int j = 0; j < q.length; j++) {
                q[j] += (alpha[i] - beta) * ss[i][j];
            }
        }
        return scale(q, -1);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double c) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * c;
        }
        return r;
    }
}
