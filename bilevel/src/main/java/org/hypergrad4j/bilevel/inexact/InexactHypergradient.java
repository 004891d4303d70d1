package org.hypergrad4j.bilevel.inexact;

import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.SolveResult;

/**
 * The hypergradient at accuracy {@code (ε, δ)}: warm-start the lower-level solver until
 * {@code ‖∇_w g‖/μ ≤ ε} (so {@code ‖ŵ − w*‖ ≤ ε}); solve {@code H q = ∇_w f} by warm-started CG to residual
 * {@code ‖H q − ∇_w f‖ ≤ δ}; return {@code z = ∇_λ f − (∂²g/∂λ∂w) q}, with the costs (lower-level and CG
 * iterations) and the a-posteriori bound of {@link #errorBound}.
 */
public final class InexactHypergradient {
    private final InexactProblem problem;
    private final LowerLevelSolver solver;
    private final int maxLowerIterations;
    private ParamVector warmQ;

    public InexactHypergradient(InexactProblem problem, LowerLevelSolver solver, int maxLowerIterations) {
        this.problem = problem;
        this.solver = solver;
        this.maxLowerIterations = maxLowerIterations;
    }

    /**
     * @param z               the inexact hypergradient
     * @param upperValue      {@code f(ŵ, λ)}
     * @param upperGradientNorm {@code ‖∇_w f(ŵ, λ)‖}
     * @param lowerIterations lower-level iterations used by this call
     * @param cgIterations    CG iterations used by this call
     * @param bound           {@code ω(ε, δ)}
     */
    public record Estimate(ParamVector z, double upperValue, double upperGradientNorm, int lowerIterations, int cgIterations,
                           double bound) {
    }

    /** The hypergradient at accuracy {@code (ε, δ)} at the current λ (moves the weights to the ε-accurate solution). */
    public Estimate compute(double epsilon, double delta) {
        // μ may depend on λ only (it bounds the Hessian everywhere), so it is read before the solve; the bound's
        // constants are read at the ε-accurate weights, where mixedNorm = ‖∂²g/∂λ∂w(ŵ)‖ is needed.
        double mu = problem.constants().strongConvexity();
        int lowerIterations = solver.solve(problem.lower(), problem.lowerFeed(), epsilon * mu, maxLowerIterations);
        InexactProblem.Constants c = problem.constants();
        LossAndGradient upper = problem.upper().lossAndGradient(problem.upperFeed());
        double rhsNorm = upper.weightGradient().norm2();
        ConjugateGradient cg = new ConjugateGradient(10_000, rhsNorm == 0 ? 0 : delta / rhsNorm);
        SolveResult q = cg.solve(v -> problem.lower().hessianAndMixed(v, problem.lowerFeed()).hessianVector(), upper.weightGradient(), warmQ);
        warmQ = q.solution();
        ParamVector z = ImplicitHypergradient.fromSolution(problem.lower(), problem.lowerFeed(), upper.hyperparameterGradient(), q.solution());
        return new Estimate(z, upper.loss(), rhsNorm, lowerIterations, q.iterations(), errorBound(c, epsilon, delta, rhsNorm));
    }

    /**
     * A bound {@code ω ≥ ‖z − ∇F(λ)‖} when {@code ‖ŵ − w*‖ ≤ ε} and {@code ‖H(ŵ) q − ∇_w f(ŵ)‖ ≤ δ}. With
     * {@code B = ∂²g/∂λ∂w}, {@code q* = H(w*)⁻¹∇_w f(w*)} and {@code Q = (‖∇_w f(ŵ)‖ + L_f ε)/μ ≥ ‖q*‖}:
     * <pre>
     * ‖z − ∇F‖ ≤ ‖∇_λ f(ŵ) − ∇_λ f(w*)‖ + ‖B(ŵ)‖ ‖q − q*‖ + ‖B(ŵ) − B(w*)‖ ‖q*‖
     *          ≤ L_f ε + ‖B‖ (δ/μ + L_f ε/μ + L_H ε Q/μ) + L_B ε Q
     * </pre>
     * using {@code ‖q − H(ŵ)⁻¹∇_w f(ŵ)‖ ≤ δ/μ} and the Lipschitz continuity of {@code ∇_w f}, {@code H} and {@code B}.
     */
    public static double errorBound(InexactProblem.Constants c, double epsilon, double delta, double upperGradientNorm) {
        double mu = c.strongConvexity();
        double q = (upperGradientNorm + c.upperGradientLipschitz() * epsilon) / mu;
        return c.upperGradientLipschitz() * epsilon
                + c.mixedNorm() * (delta / mu + c.upperGradientLipschitz() * epsilon / mu + c.hessianLipschitz() * epsilon * q / mu)
                + c.mixedLipschitz() * epsilon * q;
    }
}
