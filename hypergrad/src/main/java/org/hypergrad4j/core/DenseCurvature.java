package org.hypergrad4j.core;

import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Dense second-derivative matrices assembled from products with unit vectors, for small problems. */
public final class DenseCurvature {
    /** The largest number of weights for which dense matrices are assembled. */
    public static final long MAX_DENSE_SIZE = 20_000;

    private DenseCurvature() {
    }

    /** {@code H} with {@code H[:, i] = H e_i}; symmetrised as {@code (H + Hᵀ)/2} to remove rounding asymmetry. */
    public static DMatrixRMaj hessian(SecondOrderView view, Map<String, INDArray> feed) {
        ParamVector w = view.weights();
        int n = checkedSize(w.length());
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double[] col = view.hessianAndMixed(w.unitVector(i), feed).hessianVector().toDoubleArray();
            for (int r = 0; r < n; r++) {
                h.set(r, i, col[r]);
            }
        }
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                double s = 0.5 * (h.get(r, c) + h.get(c, r));
                h.set(r, c, s);
                h.set(c, r, s);
            }
        }
        return h;
    }

    /** {@code M = ∂²L/∂λ∂w} ({@code dim λ × dim w}) with {@code M[:, i] = (∂²L/∂λ∂w) e_i}. */
    public static DMatrixRMaj mixed(SecondOrderView view, Map<String, INDArray> feed) {
        ParamVector w = view.weights();
        int n = checkedSize(w.length());
        int m = checkedSize(view.hyperparameters().length());
        DMatrixRMaj mixed = new DMatrixRMaj(m, n);
        for (int i = 0; i < n; i++) {
            ParamVector col = view.hessianAndMixed(w.unitVector(i), feed).mixedVector();
            if (col.isEmpty()) {
                continue;
            }
            double[] c = col.toDoubleArray();
            for (int r = 0; r < m; r++) {
                mixed.set(r, i, c[r]);
            }
        }
        return mixed;
    }

    private static int checkedSize(long n) {
        if (n > MAX_DENSE_SIZE) {
            throw new IllegalArgumentException("Dense curvature matrices are assembled for at most " + MAX_DENSE_SIZE
                    + " parameters; this problem has " + n + ". Use matrix-free products (hessianAndMixed) instead.");
        }
        return (int) n;
    }
}
