package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/** The identity approximation {@code A⁻¹ ≈ αI}: {@code x = αb}, no products (Neumann with zero terms). */
public final class IdentitySolve implements LinearSolver {
    private final double alpha;

    public IdentitySolve(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Identity scale alpha must be positive and finite, got " + alpha + ".");
        }
        this.alpha = alpha;
    }

    @Override
    public SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess) {
        return new SolveResult(b.scale(alpha), 0, 0, Double.NaN, true, "identity approximation αb");
    }

    @Override
    public String describe() {
        return "Identity(alpha=" + alpha + ")";
    }
}
