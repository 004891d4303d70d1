package org.hypergrad4j.hypergrad;

import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.hypergrad4j.solvers.LinearSolver;
import org.hypergrad4j.solvers.SolveResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Implicit differentiation at an (approximate) inner optimum {@code w* = argmin_w L_T(w, λ)}
 * (Lorraine et al. 2020, Pedregosa 2016): by the implicit function theorem,
 * {@code dL_V/dλ = ∂L_V/∂λ − (∂²L_T/∂λ∂w) q}, with {@code q} solving {@code H q = ∂L_V/∂w} and
 * {@code H = ∂²L_T/∂w∂w}. The linear solver sees {@code H} only through Hessian-vector products.
 *
 * <p>Warm start: with {@link #warmStarting()}, each solve starts from the previous {@code q} (useful when
 * λ changes slowly across hyper-steps, as in HOAG and MAID).
 */
public final class ImplicitHypergradient implements HypergradientAtWeights {
    private final LinearSolver solver;
    private final boolean warmStart;
    private ParamVector previousSolution;

    public ImplicitHypergradient(LinearSolver solver) {
        this(solver, false);
    }

    private ImplicitHypergradient(LinearSolver solver, boolean warmStart) {
        this.solver = Objects.requireNonNull(solver, "solver");
        this.warmStart = warmStart;
    }

    /** The same method, warm-starting each linear solve from the previous solution. */
    public ImplicitHypergradient warmStarting() {
        return new ImplicitHypergradient(solver, true);
    }

    /** The last solution {@code q ≈ H⁻¹ ∂L_V/∂w}, or {@code null} before the first call. */
    public ParamVector lastSolution() {
        return previousSolution;
    }

    /** Sets the warm start of the next solve (for resuming from a checkpoint); {@code null} clears it. */
    public void restoreSolution(ParamVector solution) {
        previousSolution = solution == null ? null : solution.dup();
    }

    /** The warm start {@code q} under the name {@code "solution"} (nothing before the first call). */
    @Override
    public Map<String, ParamVector> carriedState() {
        return previousSolution == null ? Map.of() : Map.of("solution", previousSolution.dup());
    }

    @Override
    public void restoreCarriedState(Map<String, ParamVector> state) {
        restoreSolution(state.get("solution"));
    }

    /** Whether this method warm-starts its solves. */
    public boolean isWarmStarting() {
        return warmStart;
    }

    @Override
    public HypergradientResult compute(HypergradientProblem problem) {
        long start = System.nanoTime();
        Map<String, INDArray> valFeed = problem.validationFeed().get();
        Map<String, INDArray> hessFeed = problem.hessianFeed().get();
        Map<String, INDArray> mixedFeed = problem.mixedFeed().get();

        LossAndGradient val = problem.validation().lossAndGradient(valFeed);
        NonFiniteValueException.check("validation loss L_V", val.loss());
        NonFiniteValueException.check("validation gradient ∂L_V/∂w", val.weightGradient());
        NonFiniteValueException.check("validation gradient ∂L_V/∂λ", val.hyperparameterGradient());

        long[] hessianProducts = {0};
        // One result vector for every product: each is used before the next is asked for (LinearOperator's contract).
        ParamVector product = problem.weights().zerosLike();
        // The point and the feed are fixed during the solve: only the direction of each product changes.
        SolveResult solve = problem.training().atFixedPoint(() -> solver.solve(v -> {
            hessianProducts[0]++;
            ParamVector hv = problem.training().hessianVectorInto(v, hessFeed, product);
            NonFiniteValueException.check("Hessian-vector product H v", hv);
            return hv;
        }, val.weightGradient(), warmStart ? previousSolution : null));
        NonFiniteValueException.check("linear solve q ≈ H⁻¹ ∂L_V/∂w (" + solver.describe() + ")", solve.solution());
        previousSolution = solve.solution();

        ParamVector hypergradient = fromSolution(problem.training(), mixedFeed, val.hyperparameterGradient(), solve.solution());
        NonFiniteValueException.check("hypergradient", hypergradient);
        return new HypergradientResult(hypergradient, val.loss(), describe(), hessianProducts[0], 1,
                solve.iterations(), solve.residualNorm(), solve.converged(), solve.diagnosis(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The implicit-function-theorem hypergradient from a solution {@code q ≈ H⁻¹ ∂L_V/∂w}:
     * {@code dL_V/dλ = ∂L_V/∂λ − (∂²L_T/∂λ∂w) q} — the one place the formula is written (the inexact methods,
     * MAID and HOAG, use it too).
     *
     * @param training                         the inner loss's view, at the point of the solve
     * @param mixedFeed                        the feed of the mixed product
     * @param validationHyperparameterGradient {@code ∂L_V/∂λ}
     * @param q                                the solution of {@code H q = ∂L_V/∂w}
     */
    public static ParamVector fromSolution(SecondOrderView training, Map<String, INDArray> mixedFeed, ParamVector validationHyperparameterGradient,
                                           ParamVector q) {
        return validationHyperparameterGradient.sub(training.mixedVector(q, mixedFeed));
    }

    @Override
    public String describe() {
        return "implicit, " + solver.describe() + (warmStart ? ", warm start" : "");
    }
}
