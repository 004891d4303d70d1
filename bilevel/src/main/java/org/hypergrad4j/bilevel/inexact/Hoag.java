package org.hypergrad4j.bilevel.inexact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.SolveResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * HOAG (Pedregosa, ICML 2016). Iteration {@code k} with tolerance {@code ε_k}: solve the lower level until
 * {@code ‖∇_w g‖ ≤ ε_k ‖∇_w g(w₀)‖} (warm start); solve {@code H q = ∇_w f} by warm-started CG to relative
 * tolerance {@code ε_k}; {@code p = ∇_λ f − (∂²g/∂λ∂w) q}; step {@code λ ← clip(λ − p/L, −6, 6)}.
 * Step control: first {@code L = ‖p‖/√dim λ} (1 if {@code ‖p‖ < 1e-3}); if the new upper value is at most the
 * old plus {@code C·(ε_k + ε_{k−1})} minus {@code L‖Δλ‖²}, accept and {@code L ← 0.95 L}; if it rose by
 * more than 20%, undo the step, double {@code L} and halve the tolerances. Schedules:
 * {@code ε_k = ε₀·0.9^k} (default, {@code ε₀ = 1e-3}), {@code ε₀/k²}, {@code ε₀/k³}; floor 1e-12.
 * Cost: lower-level plus CG iterations.
 */
public final class Hoag {

    /** Tolerance decrease. */
    public enum Schedule { GEOMETRIC, QUADRATIC, CUBIC }

    /** One iteration's log line. */
    public record Iteration(int iteration, double tolerance, double lipschitz, double upperValue, long cost, boolean accepted) {
    }

    private static final double C = 0.25;
    private static final double CLIP = 6.0;

    private final InexactProblem problem;
    private final LowerLevelSolver solver;
    private final Schedule schedule;
    private final double epsilon0;
    private final List<Iteration> log = new ArrayList<>();
    private double scale = 1.0;
    private long cost;

    public Hoag(InexactProblem problem, LowerLevelSolver solver, Schedule schedule, double epsilon0) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.solver = Objects.requireNonNull(solver, "solver");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (!(epsilon0 > 0)) {
            throw new IllegalArgumentException("HOAG's ε₀ must be positive, got " + epsilon0 + ".");
        }
        this.epsilon0 = epsilon0;
    }

    /** {@code ε_k} (times the halvings so far), at least 1e-12. */
    double tolerance(int k) {
        double e = switch (schedule) {
            case GEOMETRIC -> epsilon0 * Math.pow(0.9, k);
            case QUADRATIC -> epsilon0 / Math.pow(k + 1, 2);
            case CUBIC -> epsilon0 / Math.pow(k + 1, 3);
        };
        return Math.max(1e-12, e * scale);
    }

    /** Runs {@code iterations} iterations or until a total cost of {@code maxCost}; returns the log. */
    public List<Iteration> run(int iterations, long maxCost) {
        return run(iterations, maxCost, iteration -> { });
    }

    /**
     * Runs {@code iterations} iterations or until a total cost of {@code maxCost}, handing each log line to
     * {@code observer} as soon as the iteration ends (λ then holds the step just taken, which the next iteration
     * judges); returns the log. The observer may read the problem's arrays but must leave them as it found them.
     */
    public List<Iteration> run(int iterations, long maxCost, Consumer<Iteration> observer) {
        Objects.requireNonNull(observer, "observer");
        ParamVector lambda = problem.lower().hyperparameters();
        double initialGradientNorm = problem.lower().lossAndGradient(problem.lowerFeed()).weightGradient().norm2();
        double lipschitz = Double.NaN;
        double previousTolerance = tolerance(0);
        ParamVector warmQ = null;
        double oldValue = Double.NaN;
        for (int k = 0; k < iterations && cost < maxCost; k++) {
            double eps = tolerance(k);
            cost += solver.solve(problem.lower(), problem.lowerFeed(), eps * initialGradientNorm, 100_000);
            var upper = problem.upper().lossAndGradient(problem.upperFeed());
            double value = upper.loss();
            boolean accepted = true;
            if (k > 0 && !Double.isNaN(oldValue)) {
                // Judge the previous step now that the lower level at the new λ is solved.
                if (value > 1.2 * oldValue) {
                    accepted = false;
                    lipschitz *= 2;
                    scale *= 0.5;
                    lambda.assignInPlace(previousLambda);
                    problem.lower().weights().assignInPlace(previousWeights);
                    value = oldValue;
                    upper = problem.upper().lossAndGradient(problem.upperFeed());
                } else if (value <= oldValue + C * (eps + previousTolerance) - lipschitz * lastStepSquared) {
                    lipschitz *= 0.95;
                }
            }
            ConjugateGradient cg = new ConjugateGradient(10_000, eps);
            SolveResult q = cg.solve(v -> problem.lower().hessianAndMixed(v, problem.lowerFeed()).hessianVector(), upper.weightGradient(), warmQ);
            warmQ = q.solution();
            cost += q.iterations();
            ParamVector p = ImplicitHypergradient.fromSolution(problem.lower(), problem.lowerFeed(), upper.hyperparameterGradient(), q.solution());
            double pNorm = p.norm2();
            if (Double.isNaN(lipschitz)) {
                lipschitz = pNorm < 1e-3 ? 1.0 : pNorm / Math.sqrt(lambda.length());
            }
            previousLambda = lambda.dup();
            previousWeights = problem.lower().weights().dup();
            lambda.axpyInPlace(-1.0 / lipschitz, p);
            for (String n : lambda.names()) {
                INDArray a = lambda.get(n);
                a.assign(Transforms.max(Transforms.min(a, CLIP, true), -CLIP, false));
            }
            lastStepSquared = Math.pow(lambda.sub(previousLambda).norm2(), 2);
            oldValue = value;
            previousTolerance = eps;
            Iteration line = new Iteration(k + 1, eps, lipschitz, value, cost, accepted);
            log.add(line);
            observer.accept(line);
        }
        return List.copyOf(log);
    }

    private ParamVector previousLambda;
    private ParamVector previousWeights;
    private double lastStepSquared;

    /** Lower-level plus CG iterations so far. */
    public long cost() {
        return cost;
    }
}
