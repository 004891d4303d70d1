package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conjugate gradient for symmetric positive-definite {@code A}: stops when
 * {@code ‖b − A x_k‖ ≤ tolerance · ‖b‖} or after {@code maxIterations} products. All vectors stay
 * INDArrays (so on the device). Warm-startable. Negative or zero curvature {@code pᵀAp ≤ 0} means
 * {@code A} is not positive definite along {@code p}: CG stops there, keeps the last iterate and
 * reports it in the diagnosis (or throws, if so configured).
 */
public final class ConjugateGradient implements LinearSolver {
    private static final Logger LOG = LoggerFactory.getLogger(ConjugateGradient.class);

    private final int maxIterations;
    private final double tolerance;
    private final boolean failOnNegativeCurvature;

    /**
     * @param maxIterations at least 1
     * @param tolerance     relative residual target, at least 0
     */
    public ConjugateGradient(int maxIterations, double tolerance, boolean failOnNegativeCurvature) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("CG maxIterations must be at least 1, got " + maxIterations + ".");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("CG tolerance must be at least 0, got " + tolerance + ".");
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.failOnNegativeCurvature = failOnNegativeCurvature;
    }

    /** CG that reports, rather than throws on, negative curvature. */
    public ConjugateGradient(int maxIterations, double tolerance) {
        this(maxIterations, tolerance, false);
    }

    @Override
    public SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess) {
        ParamVector x = initialGuess == null ? b.zerosLike() : initialGuess.dup();
        int products = 0;
        ParamVector r = b.dup();
        if (initialGuess != null) {
            r.axpyInPlace(-1.0, a.apply(x));
            products++;
        }
        double bNorm = b.norm2();
        double target = tolerance * bNorm;
        double rr = r.dot(r);
        if (bNorm == 0) {
            return new SolveResult(b.zerosLike(), 0, products, 0.0, true, "right-hand side is zero");
        }
        ParamVector p = r.dup();
        int k = 0;
        while (k < maxIterations) {
            if (Math.sqrt(rr) <= target) {
                return new SolveResult(x, k, products, Math.sqrt(rr), true,
                        String.format("relative residual %.2e ≤ tolerance %.1e after %d iterations", Math.sqrt(rr) / bNorm, tolerance, k));
            }
            ParamVector ap = a.apply(p);
            products++;
            double curvature = p.dot(ap);
            if (!(curvature > 0)) {
                String msg = String.format("CG met non-positive curvature pᵀAp = %.3e at iteration %d: the operator is not positive"
                        + " definite there (an inner problem not at a minimum, or not convex). Kept the iterate of iteration %d;"
                        + " consider damping (A + μI), more inner optimisation, or the Neumann series.", curvature, k + 1, k);
                if (failOnNegativeCurvature) {
                    throw new SolverDivergedException(msg);
                }
                LOG.warn(msg);
                return new SolveResult(x, k, products, Math.sqrt(rr), false, msg);
            }
            double step = rr / curvature;
            x.axpyInPlace(step, p);
            r.axpyInPlace(-step, ap);
            double rrNew = r.dot(r);
            if (!Double.isFinite(rrNew)) {
                throw new SolverDivergedException("CG produced a non-finite residual at iteration " + (k + 1)
                        + ": the operator returned NaN or infinite values.");
            }
            p.scaleInPlace(rrNew / rr).axpyInPlace(1.0, r);
            rr = rrNew;
            k++;
        }
        double residual = Math.sqrt(rr);
        boolean converged = residual <= target;
        return new SolveResult(x, k, products, residual, converged,
                String.format("%s after %d iterations, relative residual %.2e", converged ? "converged" : "stopped at maxIterations", k, residual / bNorm));
    }

    @Override
    public String describe() {
        return "CG(maxIterations=" + maxIterations + ", tolerance=" + tolerance + ")";
    }
}
