package org.hypergrad4j.bilevel.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hypergrad4j.core.ParamVector;

/**
 * The state handling shared by the optimisers: named buffers shaped like the parameters (created as zeros
 * on first use), a step counter, and {@link #state()} / {@link #restore} / {@link #reset()} over them.
 */
abstract class BufferedOptimizer implements Optimizer {
    private final Map<String, ParamVector> buffers = new LinkedHashMap<>();
    private long steps;

    /** The buffer {@code name}, created as zeros shaped like {@code params} on first use. */
    protected ParamVector buffer(String name, ParamVector params) {
        return buffers.computeIfAbsent(name, k -> params.zerosLike());
    }

    /** Counts a step and returns the new count {@code t} (1 for the first step). */
    protected long countStep() {
        return ++steps;
    }

    @Override
    public void reset() {
        buffers.clear();
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, ParamVector> state() {
        Map<String, ParamVector> copy = new LinkedHashMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    @Override
    public void restore(Map<String, ParamVector> state, long savedSteps) {
        buffers.clear();
        state.forEach((k, v) -> buffers.put(k, v.dup()));
        steps = savedSteps;
    }
}
