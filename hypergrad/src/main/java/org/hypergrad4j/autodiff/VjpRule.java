package org.hypergrad4j.autodiff;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The vector-Jacobian rule of one op type: given the cotangents {@code c_k = ∂S/∂y_k} of the op's
 * outputs {@code y = f(x_1, ..., x_n)} for some scalar {@code S}, returns the cotangents of its inputs,
 * {@code ∂S/∂x_i = Σ_k (∂y_k/∂x_i)ᵀ c_k}, as new nodes of the same graph.
 *
 * <p>Invariant every rule must keep: the nodes it emits use only ops whose own derivatives are
 * correct (SameDiff's and this registry's), so that the appended gradient can itself be
 * differentiated again. Rules must not emit SameDiff's {@code *_bp} or {@code *Derivative} ops, nor
 * {@code sd.loss.*}.
 */
@FunctionalInterface
public interface VjpRule {

    /**
     * @param ctx                shapes, broadcasting helpers and which inputs need a cotangent
     * @param op                 the op being differentiated (not modified)
     * @param inputs             the op's inputs, in order
     * @param outputs            the op's outputs, in order
     * @param outputCotangents   one cotangent per output, each of that output's shape; {@code null}
     *                           where that output does not reach the scalar
     * @return one cotangent per input, each of that input's shape, or {@code null} where the
     *         derivative is zero or {@link VjpContext#needsGradient(int)} is false
     */
    SDVariable[] apply(VjpContext ctx, DifferentialFunction op, SDVariable[] inputs, SDVariable[] outputs,
                       SDVariable[] outputCotangents);

    /**
     * Checked for every op on the path before any node is appended, so that an unsupported
     * configuration leaves the graph untouched.
     *
     * @return {@code null} if this rule can differentiate {@code op}; otherwise a sentence saying which
     *         configuration of the op is not supported
     */
    default String unsupportedReason(DifferentialFunction op) {
        return null;
    }
}
