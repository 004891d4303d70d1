package org.hypergrad4j.autodiff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The gradient of a scalar appended to its graph: for every requested variable {@code x} on which the
 * scalar {@code S} depends, a graph variable holding {@code ∂S/∂x} with {@code x}'s shape and type.
 * Requested variables that the scalar does not depend on are absent (their gradient is zero).
 */
public final class GradientGraph {
    private final String scalar;
    private final Map<String, SDVariable> gradients;
    private final int appendedOps;

    GradientGraph(String scalar, Map<String, SDVariable> gradients, int appendedOps) {
        this.scalar = scalar;
        this.gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        this.appendedOps = appendedOps;
    }

    /** The name of the differentiated scalar. */
    public String scalar() { return scalar; }

    /** Whether the scalar depends on {@code variable}. */
    public boolean has(String variable) { return gradients.containsKey(variable); }

    /**
     * @return the graph variable holding {@code ∂S/∂variable}
     * @throws IllegalArgumentException if the scalar does not depend on it or it was not requested
     */
    public SDVariable gradient(String variable) {
        SDVariable g = gradients.get(variable);
        if (g == null) {
            throw new IllegalArgumentException("No gradient of '" + scalar + "' with respect to '" + variable
                    + "': it was not requested or the scalar does not depend on it. Present: " + gradients.keySet());
        }
        return g;
    }

    /** Variables with a gradient, in request order. */
    public Set<String> variables() { return gradients.keySet(); }

    /** All gradients by variable name, in request order. */
    public Map<String, SDVariable> asMap() { return gradients; }

    /** How many ops the transform appended to the graph. */
    public int appendedOps() { return appendedOps; }
}
