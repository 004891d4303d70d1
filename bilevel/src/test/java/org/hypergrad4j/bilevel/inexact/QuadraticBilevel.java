package org.hypergrad4j.bilevel.inexact;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The quadratic bilevel problem with a closed-form optimum:
 * {@code g(x, θ) = ½ xᵀAx − xᵀ(Bθ + c)}, {@code f(x, θ) = ½‖x − x̄‖² + (α/2)‖θ‖²}, so
 * {@code x*(θ) = A⁻¹(Bθ + c)}, {@code F(θ) = ½‖Mθ − r‖² + (α/2)‖θ‖²} with {@code M = A⁻¹B},
 * {@code r = x̄ − A⁻¹c}, minimised at {@code θ* = (MᵀM + αI)⁻¹Mᵀr}.
 */
final class QuadraticBilevel {
    final InexactProblem problem;
    final DMatrixRMaj m;
    final DMatrixRMaj r;
    final double alpha;
    final double optimalValue;
    final double mu;
    final double smoothness;

    QuadraticBilevel(long seed, int n, int dims, double alpha) {
        Random rnd = new Random(seed);
        DMatrixRMaj q = random(rnd, n, n);
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(q, q, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, 1.0);
        }
        DMatrixRMaj b = random(rnd, n, dims);
        DMatrixRMaj c = random(rnd, n, 1);
        DMatrixRMaj xbar = random(rnd, n, 1);
        this.alpha = alpha;

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.zeros(DataType.DOUBLE, n, 1));
        SDVariable theta = sd.var("theta", Nd4j.zeros(DataType.DOUBLE, dims, 1));
        SDVariable av = sd.constant("A", Nd4j.createFromArray(rows(a)));
        SDVariable bv = sd.constant("B", Nd4j.createFromArray(rows(b)));
        SDVariable cv = sd.constant("c", Nd4j.createFromArray(c.getData()).reshape(n, 1));
        SDVariable xb = sd.constant("xbar", Nd4j.createFromArray(xbar.getData()).reshape(n, 1));
        sd.mmul(x, av.mmul(x), true, false, false).sum().mul(0.5)
                .sub(sd.mmul(x, bv.mmul(theta).add(cv), true, false, false).sum()).rename("g");
        sd.math.square(x.sub(xb)).sum().mul(0.5).add(sd.math.square(theta).sum().mul(0.5 * alpha)).rename("f");
        var lower = ExactSecondOrderView.build(sd, "g", List.of("x"), List.of("theta"));
        var upper = ExactSecondOrderView.build(sd, "f", List.of("x"), List.of("theta"));

        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        eig.decompose(a.copy());
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, eig.getEigenvalue(i).getReal());
            hi = Math.max(hi, eig.getEigenvalue(i).getReal());
        }
        this.mu = lo;
        this.smoothness = hi;
        double bNorm = NormOps_DDRM.normP2(b);
        this.problem = new InexactProblem(lower, Map.of(), upper, Map.of(),
                new InexactProblem.Constants(lo, hi, 1.0, bNorm, 0, 0, 1.0));

        DMatrixRMaj aInv = new DMatrixRMaj(n, n);
        CommonOps_DDRM.invert(a, aInv);
        this.m = new DMatrixRMaj(n, dims);
        CommonOps_DDRM.mult(aInv, b, m);
        DMatrixRMaj aInvC = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.mult(aInv, c, aInvC);
        this.r = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.subtract(xbar, aInvC, r);
        DMatrixRMaj normal = new DMatrixRMaj(dims, dims);
        CommonOps_DDRM.multTransA(m, m, normal);
        for (int i = 0; i < dims; i++) {
            normal.add(i, i, alpha);
        }
        DMatrixRMaj rhs = new DMatrixRMaj(dims, 1);
        CommonOps_DDRM.multTransA(m, r, rhs);
        DMatrixRMaj thetaStar = new DMatrixRMaj(dims, 1);
        CommonOps_DDRM.solve(normal, rhs, thetaStar);
        this.optimalValue = value(thetaStar.getData());
    }

    /** {@code F(θ)} in closed form. */
    double value(double[] theta) {
        DMatrixRMaj t = new DMatrixRMaj(theta.length, 1, true, theta);
        DMatrixRMaj res = new DMatrixRMaj(m.numRows, 1);
        CommonOps_DDRM.mult(m, t, res);
        CommonOps_DDRM.subtractEquals(res, r);
        return 0.5 * CommonOps_DDRM.dot(res, res) + 0.5 * alpha * CommonOps_DDRM.dot(t, t);
    }

    double currentValue() {
        return value(problem.lower().hyperparameters().toDoubleArray());
    }

    private static DMatrixRMaj random(Random rnd, int rows, int cols) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < d.getNumElements(); i++) {
            d.set(i, rnd.nextGaussian());
        }
        return d;
    }

    private static double[][] rows(DMatrixRMaj d) {
        double[][] out = new double[d.numRows][d.numCols];
        for (int i = 0; i < d.numRows; i++) {
            for (int j = 0; j < d.numCols; j++) {
                out[i][j] = d.get(i, j);
            }
        }
        return out;
    }
}
