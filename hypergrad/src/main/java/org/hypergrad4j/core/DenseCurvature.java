package org.hypergrad4j.core;

import java.util.Map;
import java.util.function.UnaryOperator;
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
        return symmetricFromProducts(view.weights(), v -> view.hessianAndMixed(v, feed).hessianVector());
    }

    /**
     * The dense matrix {@code A} of a symmetric linear map given by its products, {@code A[:, i] = A e_i}
     * for the unit vectors shaped like {@code template}, symmetrised as {@code (A + Aᵀ)/2}.
     *
     * @throws IllegalArgumentException if {@code template} has more than {@link #MAX_DENSE_SIZE} entries
     */
    public static DMatrixRMaj symmetricFromProducts(ParamVector template, UnaryOperator<ParamVector> product) {
        int n = checkedSize(template.length());
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double[] col = product.apply(template.unitVector(i)).toDoubleArray();
            for (int r = 0; r < n; r++) {
                a.set(r, i, col[r]);
            }
        }
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                double s = 0.5 * (a.get(r, c) + a.get(c, r));
                a.set(r, c, s);
                a.set(c, r, s);
            }
        }
        return a;
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
