package org.hypergrad4j.hypergrad;

/** Computes {@code dL_V(w*(λ), λ)/dλ} for a {@link HypergradientProblem} (one method, one result type). */
public interface HypergradientMethod {

    /**
     * @throws NonFiniteValueException if a loss, gradient or product holds NaN or infinity (the stage is named)
     */
    HypergradientResult compute(HypergradientProblem problem);

    /** The method and its settings, e.g. {@code "implicit, CG(maxIterations=20, tolerance=1e-10)"}. */
    String describe();
}
