package org.hypergrad4j.solvers;

import java.util.Objects;
import org.hypergrad4j.core.ParamVector;

/**
 * A solution of {@code A x = b} with what it cost and how good it is.
 *
 * @param solution     {@code x}
 * @param iterations   iterations (or series terms) performed
 * @param products     operator products used
 * @param residualNorm {@code ‖b − A x‖₂} where the solver tracks it, else {@code NaN}
 * @param converged    whether the solver's own stopping criterion was met
 * @param diagnosis    why the solver stopped, in a sentence
 */
public record SolveResult(ParamVector solution, int iterations, int products, double residualNorm,
                          boolean converged, String diagnosis) {
    public SolveResult {
        Objects.requireNonNull(solution, "solution");
        Objects.requireNonNull(diagnosis, "diagnosis");
    }
}
