package org.hypergrad4j.hypergrad;

/** Computes {@code dL_V(w*(λ), λ)/dλ} for a {@link HypergradientProblem} (one method, one result type). */
public interface HypergradientMethod {

    /**
     * @throws NonFiniteValueException if a loss, gradient or product holds NaN or infinity (the stage is named)
     */
    HypergradientResult compute(HypergradientProblem problem);

    /**
     * What the method carries from one call to the next (a solver's warm start), as copies by name, for
     * checkpoints and for restoring the last good state; empty for a method that carries nothing.
     */
    default java.util.Map<String, org.hypergrad4j.core.ParamVector> carriedState() {
        return java.util.Map.of();
    }

    /** Restores a state from {@link #carriedState()}; an empty map clears it. */
    default void restoreCarriedState(java.util.Map<String, org.hypergrad4j.core.ParamVector> state) {
    }

    /** The method and its settings, e.g. {@code "implicit, CG(maxIterations=20, tolerance=1e-10)"}. */
    String describe();
}
