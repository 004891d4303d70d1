package org.hypergrad4j.bilevel.optim;

import org.hypergrad4j.core.ParamVector;

/**
 * A first-order optimiser over a {@link ParamVector}. Call order: {@link #step} once per update with the
 * gradient at the current parameters; the optimiser keeps its own state (moments, step count), which
 * {@link #reset()} clears. Parameters are modified in place; the gradient is not.
 */
public interface Optimizer {

    /** Updates {@code params} in place using {@code gradient} (same names and shapes). */
    void step(ParamVector params, ParamVector gradient);

    /** Forgets all state, as if no step had been taken. */
    void reset();

    /** The number of steps taken since construction or {@link #reset()}. */
    long steps();

    /** The optimiser's state tensors by name (copies), for checkpoints; empty before the first step. */
    java.util.Map<String, ParamVector> state();

    /** Restores a state saved by {@link #state()} and {@link #steps()}. */
    void restore(java.util.Map<String, ParamVector> state, long steps);

    /** The optimiser and its settings. */
    String describe();
}
