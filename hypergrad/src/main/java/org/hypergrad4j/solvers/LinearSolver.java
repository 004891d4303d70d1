package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/**
 * Approximately solves {@code A x = b} for a symmetric operator {@code A} given as a product
 * (jaxopt's shape: one method, a matrix-vector product in, a solution and diagnostics out).
 */
public interface LinearSolver {

    /**
     * @param a            the operator; called once per iteration (see {@link SolveResult#products()})
     * @param b            the right-hand side (not modified)
     * @param initialGuess a warm start, or {@code null} for zero (ignored by solvers without one)
     */
    SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess);

    /** A short description with the settings, e.g. {@code "CG(maxIterations=20, tolerance=1e-10)"}. */
    String describe();
}
