package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/** A linear map given only by its product {@code v ↦ A v} (for example a Hessian-vector product). */
@FunctionalInterface
public interface LinearOperator {
    /** {@code A v}; must not modify {@code v}. */
    ParamVector apply(ParamVector v);
}
