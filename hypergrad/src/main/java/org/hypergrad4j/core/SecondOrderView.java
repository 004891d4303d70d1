package org.hypergrad4j.core;

import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First and second derivatives of a scalar loss {@code L(w, λ)} of a SameDiff graph with respect to
 * its weights {@code w} and hyperparameters {@code λ} (both graph variables), at their current values
 * and for the placeholder values ("feed", e.g. a minibatch) passed to each call.
 *
 * <p>The point {@code (w, λ)} is the graph's own variable arrays: {@link #weights()} and
 * {@link #hyperparameters()} return them live, and updating them in place moves the point without
 * rebuilding anything. Implementations are not safe for concurrent use.
 */
public interface SecondOrderView {

    /** The loss variable's name. */
    String lossName();

    /** The weight tensors (live arrays of the graph's variables). */
    ParamVector weights();

    /** The hyperparameter tensors (live arrays; empty if there are none). */
    ParamVector hyperparameters();

    /** The floating-point type the graph computes in. */
    DataType dataType();

    /** Whether the products are exact (autodiff) rather than finite-difference approximations. */
    boolean isExact();

    /** {@code L(w, λ)}. */
    double loss(Map<String, INDArray> feed);

    /** {@code L}, {@code ∂L/∂w} and {@code ∂L/∂λ}. */
    LossAndGradient lossAndGradient(Map<String, INDArray> feed);

    /**
     * {@code H v} and {@code (∂²L/∂λ∂w) v} together.
     *
     * @param v shaped like {@link #weights()}
     * @throws IllegalArgumentException if {@code v}'s names or shapes differ from the weights'
     */
    CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed);

    /**
     * {@code L} and {@code ∂L/∂w} written into {@code gradientTarget} (shaped like the weights), without
     * {@code ∂L/∂λ}: the inner step of a training loop, which uses the gradient before asking for the next.
     *
     * @return the loss {@code L}
     */
    default double lossAndWeightGradientInto(Map<String, INDArray> feed, ParamVector gradientTarget) {
        LossAndGradient lg = lossAndGradient(feed);
        gradientTarget.assignInPlace(lg.weightGradient());
        return lg.loss();
    }

    /**
     * Runs {@code body}, during which the caller guarantees that the weights, hyperparameters and the
     * arrays of the feeds it passes do not change (only the product directions do): a view may then skip
     * re-checking them between products. The default just runs it.
     */
    default <T> T atFixedPoint(java.util.function.Supplier<T> body) {
        return body.get();
    }

    /** {@code H v} alone (views that can, skip the mixed product). */
    default ParamVector hessianVector(ParamVector v, Map<String, INDArray> feed) {
        return hessianAndMixed(v, feed).hessianVector();
    }

    /**
     * {@code H v} written into {@code target} (shaped like the weights), which is returned: for solvers
     * that apply the Hessian many times and use each product before asking for the next.
     */
    default ParamVector hessianVectorInto(ParamVector v, Map<String, INDArray> feed, ParamVector target) {
        return target.assignInPlace(hessianVector(v, feed));
    }

    /** {@code (∂²L/∂λ∂w) v} alone (views that can, skip the Hessian product). */
    default ParamVector mixedVector(ParamVector v, Map<String, INDArray> feed) {
        return hessianAndMixed(v, feed).mixedVector();
    }

    /**
     * {@code (∂²L/∂w∂λ) u = ∇_w ⟨∂L/∂λ, u⟩}, the mixed product in the other direction (as needed by
     * forward-mode unrolling); entry {@code i} is {@code Σ_j ∂²L/∂w_i∂λ_j · u_j}.
     *
     * @param u shaped like {@link #hyperparameters()}
     * @return shaped like the weights
     */
    ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed);

    /**
     * The dense Hessian {@code H = ∂²L/∂w∂w} in float64, assembled column by column from {@code H e_i}
     * (entries in {@link ParamVector#toDoubleArray()} order). For small problems.
     *
     * @throws IllegalArgumentException if there are more than {@link DenseCurvature#MAX_DENSE_SIZE} weights
     */
    default DMatrixRMaj denseHessian(Map<String, INDArray> feed) {
        return DenseCurvature.hessian(this, feed);
    }

    /**
     * The dense mixed Jacobian {@code M = ∂²L/∂λ∂w} ({@code dim λ × dim w}) in float64, so that
     * {@code M v} is {@link CurvatureProducts#mixedVector()}. For small problems.
     */
    default DMatrixRMaj denseMixed(Map<String, INDArray> feed) {
        return DenseCurvature.mixed(this, feed);
    }

    /** The weights' names, in order. */
    default List<String> weightNames() {
        return weights().names();
    }

    /** The hyperparameters' names, in order. */
    default List<String> hyperparameterNames() {
        return hyperparameters().names();
    }
}
