package org.hypergrad4j.autodiff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * What a {@link VjpRule} may ask while it appends its nodes: static shapes inferred for the graph
 * (with {@code -1} for dimensions that vary with the fed placeholders, such as the batch), and
 * helpers that undo broadcasting.
 */
public interface VjpContext {

    /** The graph that is being extended. */
    SameDiff sd();

    /**
     * The inferred shape of a variable that existed before the transform started; {@code -1} marks
     * a dimension that changes with the placeholders' sizes.
     *
     * @throws IllegalStateException if the variable's shape was not inferred (it was created by a rule)
     */
    long[] shape(SDVariable variable);

    /** Whether input {@code inputIndex} of the op being differentiated lies on a path from a requested variable. */
    boolean needsGradient(int inputIndex);

    /**
     * Sums {@code cotangent} (of the broadcast output's shape {@code outputShape}) over the axes along
     * which {@code target} was broadcast, and gives it {@code target}'s shape:
     * {@code unbroadcast(c)_j = Σ_{i ↦ j} c_i}.
     */
    SDVariable unbroadcast(SDVariable cotangent, long[] outputShape, SDVariable target);

    /**
     * Broadcasts {@code cotangent}, whose shape equals {@code target}'s with some axes of size 1, to
     * {@code target}'s full shape (adds {@code zerosLike(target)}).
     */
    SDVariable broadcastLike(SDVariable cotangent, SDVariable target);

    /** Reshapes {@code value} to {@code target}'s inferred shape, static or with one dynamic dimension, else dynamically. */
    SDVariable reshapeLike(SDVariable value, SDVariable target);
}
