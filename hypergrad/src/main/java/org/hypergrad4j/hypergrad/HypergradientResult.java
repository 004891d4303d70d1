package org.hypergrad4j.hypergrad;

import java.util.Objects;
import org.hypergrad4j.core.ParamVector;

/**
 * A hypergradient {@code dL_V(w*(λ), λ)/dλ} with diagnostics.
 *
 * @param hypergradient     shaped like the hyperparameters
 * @param validationLoss    {@code L_V} at the point where the hypergradient was taken
 * @param method            the method and its settings
 * @param hessianProducts   Hessian-vector (or Jacobian-vector) products of the training loss used
 * @param mixedProducts     mixed second-derivative products used
 * @param solverIterations  iterations of the linear solver (or unrolled steps)
 * @param residualNorm      the linear solver's final residual norm, {@code NaN} where not tracked
 * @param converged         whether the solver met its own criterion
 * @param diagnosis         why the solver stopped, in a sentence
 * @param wallSeconds       elapsed time
 */
public record HypergradientResult(ParamVector hypergradient, double validationLoss, String method,
                                  long hessianProducts, long mixedProducts, int solverIterations,
                                  double residualNorm, boolean converged, String diagnosis, double wallSeconds) {
    public HypergradientResult {
        Objects.requireNonNull(hypergradient, "hypergradient");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(diagnosis, "diagnosis");
    }

    /** Total second-order products (Hessian plus mixed). */
    public long products() {
        return hessianProducts + mixedProducts;
    }
}
