package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/**
 * A linear map given only by its product {@code v ↦ A v} (for example a Hessian-vector product).
 * The returned vector may be the same object on every call (a reused result buffer): solvers use a
 * product before asking for the next one and copy it if they must keep it.
 */
@FunctionalInterface
public interface LinearOperator {
    /** {@code A v}; must not modify {@code v}; valid until the next call. */
    ParamVector apply(ParamVector v);
}
