package org.hypergrad4j.bilevel.model;

import java.util.List;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A user's own SameDiff model. The builder is called once per input (training, validation, test); on the
 * first call ({@code create = true}) it creates its weight variables with the declared names, later it
 * must reuse them ({@code sd.getVariable(name)}). Only ops with a {@code VjpRule} may be used where
 * exact second derivatives are needed.
 */
public final class GraphModel implements Model {

    /** Builds logits for {@code input}. */
    @FunctionalInterface
    public interface LogitsBuilder {
        SDVariable build(SameDiff sd, SDVariable input, DataType type, boolean create);
    }

    private final int inputs;
    private final int classes;
    private final List<String> weights;
    private final List<String> decayed;
    private final LogitsBuilder builder;
    private final String description;
    private boolean built;

    public GraphModel(int inputs, int classes, List<String> weights, List<String> decayedWeights, LogitsBuilder builder, String description) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("A graph model needs at least one weight variable.");
        }
        if (!weights.containsAll(decayedWeights)) {
            throw new IllegalArgumentException("Decayed weights " + decayedWeights + " must be among the weights " + weights + ".");
        }
        this.inputs = inputs;
        this.classes = classes;
        this.weights = List.copyOf(weights);
        this.decayed = List.copyOf(decayedWeights);
        this.builder = Objects.requireNonNull(builder, "builder");
        this.description = description;
    }

    @Override
    public SDVariable logits(SameDiff sd, SDVariable input, DataType type) {
        SDVariable out = builder.build(sd, input, type, !built);
        if (!built) {
            for (String w : weights) {
                if (!sd.hasVariable(w)) {
                    throw new IllegalArgumentException("The graph model declared weight '" + w + "' but its builder did not create it.");
                }
            }
            built = true;
        }
        return out;
    }

    @Override
    public List<String> weights() {
        return weights;
    }

    @Override
    public List<String> decayedWeights() {
        return decayed;
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public String describe() {
        return description;
    }
}
