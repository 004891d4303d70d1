package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/**
 * Fixed-point iteration for {@code A x = b} written as {@code x = T(x) = x + α(b − A x)}: a contraction
 * when the spectral radius of {@code I − αA} is below 1. Stops when {@code ‖b − A x‖ ≤ tolerance · ‖b‖}
 * or after {@code maxIterations}; warm-startable. A residual that grows by more than
 * {@link NeumannSeries#DIVERGENCE_RATIO} raises {@link SolverDivergedException} with the remedy.
 */
public final class FixedPointIteration implements LinearSolver {
    private final double alpha;
    private final int maxIterations;
    private final double tolerance;

    public FixedPointIteration(double alpha, int maxIterations, double tolerance) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Fixed-point step alpha must be positive and finite, got " + alpha + ".");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Fixed-point maxIterations must be at least 1, got " + maxIterations + ".");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("Fixed-point tolerance must be at least 0, got " + tolerance + ".");
        }
        this.alpha = alpha;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    @Override
    public SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess) {
        ParamVector x = initialGuess == null ? b.zerosLike() : initialGuess.dup();
        double bNorm = b.norm2();
        if (bNorm == 0) {
            return new SolveResult(b.zerosLike(), 0, 0, 0.0, true, "right-hand side is zero");
        }
        int products = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k < maxIterations; k++) {
            ParamVector r = b.sub(a.apply(x));
            products++;
            double norm = r.norm2();
            if (!Double.isFinite(norm) || norm > previous * NeumannSeries.DIVERGENCE_RATIO && k > 0) {
                throw new SolverDivergedException(String.format("Fixed-point iteration diverges: the residual grew from %.3e to %.3e"
                        + " at iteration %d, so I − αA is not a contraction for α = %.3g. Use a smaller α or conjugate gradient.",
                        previous, norm, k, alpha));
            }
            if (norm <= tolerance * bNorm) {
                return new SolveResult(x, k, products, norm, true,
                        String.format("relative residual %.2e ≤ tolerance %.1e after %d iterations", norm / bNorm, tolerance, k));
            }
            x.axpyInPlace(alpha, r);
            previous = norm;
        }
        double residual = b.sub(a.apply(x)).norm2();
        products++;
        boolean converged = residual <= tolerance * bNorm;
        return new SolveResult(x, maxIterations, products, residual, converged,
                String.format("%s after %d iterations, relative residual %.2e", converged ? "converged" : "stopped at maxIterations",
                        maxIterations, residual / bNorm));
    }

    @Override
    public String describe() {
        return "FixedPoint(alpha=" + alpha + ", maxIterations=" + maxIterations + ", tolerance=" + tolerance + ")";
    }
}
