package org.hypergrad4j.bilevel.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A classifier built from ops the second-order core can differentiate twice. {@link #logits} may be called
 * several times on one graph (for training, validation and test inputs): the first call creates the
 * weight variables, later calls reuse them, so all inputs share one set of weights.
 */
public interface Model {

    /** Logits {@code [N, classes]} for {@code input} of shape {@code [N, inputSize()]}. */
    SDVariable logits(SameDiff sd, SDVariable input, DataType type);

    /** Applied to each hidden layer's activations on the training path (e.g. dropout). */
    @FunctionalInterface
    interface HiddenTransform {
        SDVariable apply(int layer, int width, SDVariable activations);
    }

    /**
     * Logits with {@code transform} applied to every hidden layer's activations; models without hidden
     * layers that can take a transform throw {@link UnsupportedOperationException}.
     */
    default SDVariable logits(SameDiff sd, SDVariable input, DataType type, HiddenTransform transform) {
        throw new UnsupportedOperationException(describe() + " does not support transforms of its hidden layers (e.g. dropout); use an Mlp.");
    }

    /** Widths of the hidden layers a {@link HiddenTransform} sees, in order (empty if none). */
    default int[] hiddenWidths() {
        return new int[0];
    }

    /** Names of all weight variables, in a fixed order (valid after the first {@link #logits} call). */
    List<String> weights();

    /** Weight variables that weight decay applies to (matrices and kernels, not biases), one per layer. */
    List<String> decayedWeights();

    /** Features per example. */
    int inputSize();

    /** Number of classes. */
    int classes();

    /** A short description, e.g. {@code "MLP 64-32-10 (tanh)"}. */
    String describe();
}
