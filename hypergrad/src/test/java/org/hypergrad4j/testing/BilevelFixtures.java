package org.hypergrad4j.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilevel problems in float64 with references computed independently of the framework (EJML, from the
 * formulas): ridge regression with one {@code exp(λ_j)} per feature (closed form), and L2-regularised
 * binary logistic regression (Newton's method and a dense solve written here).
 *
 * <p>Training loss {@code L_T(w, λ) = ℓ(X w, y) + Σ_j exp(λ_j) w_j²}; validation loss
 * {@code L_V(w) = ℓ(X_v w, y_v)}, with ℓ the mean squared error or the mean logistic loss.
 */
public final class BilevelFixtures {
    private BilevelFixtures() {
    }

    public enum Loss { SQUARED, LOGISTIC }

    /** A problem with its data and the independent reference values at λ. */
    public record Fixture(Loss loss, SameDiff sd, HypergradientProblem problem, Map<String, INDArray> trainingFeed,
                          Map<String, INDArray> validationFeed, double[][] x, double[] y, double[][] xv, double[] yv,
                          double[] optimum, double[] exactHypergradient, double maxHessianEigenvalue) {

        /** Puts the weights at the reference optimum {@code w*(λ)}. */
        public void moveToOptimum() {
            problem.weights().get("w").assign(Nd4j.createFromArray(optimum).reshape(optimum.length, 1));
        }

        public ParamVector weights() {
            return problem.weights();
        }
    }

    public static Fixture ridge(long seed, int n, int nv, int d) {
        return build(Loss.SQUARED, seed, n, nv, d);
    }

    public static Fixture logistic(long seed, int n, int nv, int d) {
        return build(Loss.LOGISTIC, seed, n, nv, d);
    }

    private static Fixture build(Loss loss, long seed, int n, int nv, int d) {
        Random rnd = new Random(seed);
        double[] truth = new double[d];
        for (int j = 0; j < d; j++) {
            truth[j] = rnd.nextGaussian();
        }
        double[][] x = new double[n][d];
        double[] y = new double[n];
        double[][] xv = new double[nv][d];
        double[] yv = new double[nv];
        fill(rnd, loss, truth, x, y);
        fill(rnd, loss, truth, xv, yv);
        double[] lambda = new double[d];
        for (int j = 0; j < d; j++) {
            lambda[j] = -2.0 + 0.5 * rnd.nextGaussian();
        }

        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.zeros(DataType.DOUBLE, d, 1));
        SDVariable lam = sd.var("lambda", Nd4j.createFromArray(lambda).reshape(d, 1));
        SDVariable xt = sd.placeHolder("x_train", DataType.DOUBLE, -1, d);
        SDVariable yt = sd.placeHolder("y_train", DataType.DOUBLE, -1, 1);
        SDVariable xval = sd.placeHolder("x_val", DataType.DOUBLE, -1, d);
        SDVariable yval = sd.placeHolder("y_val", DataType.DOUBLE, -1, 1);
        SDVariable decay = sd.math.exp(lam).mul(sd.math.square(w)).sum();
        SDVariable lt = fit(sd, loss, xt.mmul(w), yt).add(decay);
        lt.rename("L_T");
        SDVariable lv = fit(sd, loss, xval.mmul(w), yval);
        lv.rename("L_V");
        ExactSecondOrderView training = ExactSecondOrderView.build(sd, "L_T", List.of("w"), List.of("lambda"));
        ExactSecondOrderView validation = ExactSecondOrderView.build(sd, "L_V", List.of("w"), List.of("lambda"));
        Map<String, INDArray> tf = new HashMap<>();
        tf.put("x_train", Nd4j.createFromArray(x));
        tf.put("y_train", Nd4j.createFromArray(y).reshape(n, 1));
        Map<String, INDArray> vf = new HashMap<>();
        vf.put("x_val", Nd4j.createFromArray(xv));
        vf.put("y_val", Nd4j.createFromArray(yv).reshape(nv, 1));
        HypergradientProblem problem = HypergradientProblem.fullBatch(training, tf, validation, vf);

        double[] optimum = loss == Loss.SQUARED ? ridgeOptimum(x, y, lambda) : logisticOptimum(x, y, lambda);
        DMatrixRMaj h = hessian(loss, x, optimum, lambda);
        double[] gv = validationGradient(loss, xv, yv, optimum);
        DMatrixRMaj q = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.solve(h, new DMatrixRMaj(d, 1, true, gv), q);
        double[] hyper = new double[d];
        for (int j = 0; j < d; j++) {
            hyper[j] = -2 * Math.exp(lambda[j]) * optimum[j] * q.get(j);
        }
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<DMatrixRMaj> eig =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, false, true);
        eig.decompose(h.copy());
        double maxEig = 0;
        for (int i = 0; i < d; i++) {
            maxEig = Math.max(maxEig, eig.getEigenvalue(i).getReal());
        }
        return new Fixture(loss, sd, problem, tf, vf, x, y, xv, yv, optimum, hyper, maxEig);
    }

    private static SDVariable fit(SameDiff sd, Loss loss, SDVariable z, SDVariable y) {
        return loss == Loss.SQUARED ? DifferentiableOps.meanSquaredError(sd, z, y) : DifferentiableOps.sigmoidCrossEntropy(sd, z, y);
    }

    private static void fill(Random rnd, Loss loss, double[] truth, double[][] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            double z = 0;
            for (int j = 0; j < truth.length; j++) {
                x[i][j] = rnd.nextGaussian();
                z += x[i][j] * truth[j];
            }
            y[i] = loss == Loss.SQUARED ? z + 0.5 * rnd.nextGaussian() : (rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** w* = ((2/n) XᵀX + 2D)⁻¹ (2/n) Xᵀy with D = diag(exp λ). */
    static double[] ridgeOptimum(double[][] x, double[] y, double[] lambda) {
        int n = x.length;
        int d = lambda.length;
        DMatrixRMaj h = hessian(Loss.SQUARED, x, new double[d], lambda);
        DMatrixRMaj rhs = new DMatrixRMaj(d, 1);
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i][j] * y[i];
            }
            rhs.set(j, 2 * s / n);
        }
        DMatrixRMaj w = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.solve(h, rhs, w);
        return w.getData();
    }

    /** Newton's method on (1/n) Σ [softplus(x_i·w) − y_i x_i·w] + Σ exp(λ_j) w_j², to ‖g‖ ≤ 1e-14. */
    static double[] logisticOptimum(double[][] x, double[] y, double[] lambda) {
        int d = lambda.length;
        double[] w = new double[d];
        for (int it = 0; it < 100; it++) {
            double[] g = new double[d];
            for (int i = 0; i < x.length; i++) {
                double p = sigmoid(dot(x[i], w));
                for (int j = 0; j < d; j++) {
                    g[j] += (p - y[i]) * x[i][j] / x.length;
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                g[j] += 2 * Math.exp(lambda[j]) * w[j];
                norm += g[j] * g[j];
            }
            if (Math.sqrt(norm) < 1e-14) {
                break;
            }
            DMatrixRMaj step = new DMatrixRMaj(d, 1);
            CommonOps_DDRM.solve(hessian(Loss.LOGISTIC, x, w, lambda), new DMatrixRMaj(d, 1, true, g), step);
            for (int j = 0; j < d; j++) {
                w[j] -= step.get(j);
            }
        }
        return w;
    }

    /** H = (1/n) Xᵀ S X + 2D, S = 2I (squared) or diag(p(1−p)) (logistic). */
    static DMatrixRMaj hessian(Loss loss, double[][] x, double[] w, double[] lambda) {
        int d = lambda.length;
        DMatrixRMaj h = new DMatrixRMaj(d, d);
        for (double[] row : x) {
            double s;
            if (loss == Loss.SQUARED) {
                s = 2.0;
            } else {
                double p = sigmoid(dot(row, w));
                s = p * (1 - p);
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    h.add(a, b, s * row[a] * row[b] / x.length);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            h.add(j, j, 2 * Math.exp(lambda[j]));
        }
        return h;
    }

    static double[] validationGradient(Loss loss, double[][] xv, double[] yv, double[] w) {
        double[] g = new double[w.length];
        for (int i = 0; i < xv.length; i++) {
            double z = dot(xv[i], w);
            double r = loss == Loss.SQUARED ? 2 * (z - yv[i]) : sigmoid(z) - yv[i];
            for (int j = 0; j < w.length; j++) {
                g[j] += r * xv[i][j] / xv.length;
            }
        }
        return g;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
