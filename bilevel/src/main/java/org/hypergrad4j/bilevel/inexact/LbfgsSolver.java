package org.hypergrad4j.bilevel.inexact;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L-BFGS (Nocedal and Wright, Algorithm 7.5) with the two-loop recursion over the last {@code memory}
 * pairs and a backtracking line search (halving from the unit step) that accepts Armijo's condition
 * ({@code c₁ = 1e-4}) or, near the optimum where loss differences drown in round-off, the approximate Wolfe
 * conditions of Hager and Zhang (2005). Every loss-and-gradient evaluation counts as an iteration. Pairs with
 * {@code sᵀy ≤ 1e-10 ‖s‖ ‖y‖} are skipped. If the quasi-Newton direction finds no acceptable step within
 * {@link #MAX_HALVINGS} halvings, the pairs are dropped and steepest descent is tried; if that fails too (nothing
 * representable decreases the loss) or the budget runs out mid-search, the solver stops at the last accepted
 * point, possibly above the tolerance: callers that need the tolerance check the gradient.
 *
 * <p>The iterate, gradients and pairs are held as float64 Java arrays (in {@link ParamVector#toDoubleArray()}
 * order) and written back to the weights before each evaluation: the vector algebra (about {@code 4·memory}
 * dot products and updates per iteration) would otherwise cost one native call each, which dominates on
 * small problems.
 */
public final class LbfgsSolver implements LowerLevelSolver {
    /** Backtracking gives up after this many halvings of the unit step (the step is then below 1e-15). */
    static final int MAX_HALVINGS = 50;
    private static final double ARMIJO = 1e-4;
    private static final double CURVATURE = 0.9;
    private static final double ROUND_OFF = 1e-10;
    /** A pair is kept only if {@code sᵀy > 1e-10 ‖s‖ ‖y‖} (relative, so small steps near the optimum still count). */
    private static final double PAIR_CURVATURE = 1e-10;

    private final int memory;

    public LbfgsSolver(int memory) {
        if (memory < 1) {
            throw new IllegalArgumentException("L-BFGS memory must be at least 1, got " + memory + ".");
        }
        this.memory = memory;
    }

    /** A loss-and-gradient evaluation with the gradient as an array. */
    private record Point(double loss, double[] gradient) {
    }

    /** An accepted step: the new weights and their evaluation. */
    private record Step(double[] weights, Point point) {
    }

    /** A function of a float64 vector to minimise: writes {@code ∇f(w)} into {@code gradient} and returns {@code f(w)}. */
    @FunctionalInterface
    public interface ArrayObjective {
        double valueAndGradient(double[] w, double[] gradient);
    }

    /**
     * Where {@link #minimize} stopped.
     *
     * @param weights     the last accepted point
     * @param value       {@code f} there
     * @param gradient    {@code ∇f} there
     * @param evaluations value-and-gradient evaluations used
     */
    public record Minimum(double[] weights, double value, double[] gradient, int evaluations) {
        /** {@code ‖∇f‖₂} at the point. */
        public double gradientNorm() {
            return norm(gradient);
        }
    }

    /** The state of one solve: the objective, the evaluation count and its budget. */
    private static final class Run {
        final ArrayObjective objective;
        final int maxEvaluations;
        int evaluations;

        Run(ArrayObjective objective, int maxEvaluations) {
            this.objective = objective;
            this.maxEvaluations = maxEvaluations;
        }

        Point evaluateAt(double[] w) {
            evaluations++;
            double[] g = new double[w.length];
            return new Point(objective.valueAndGradient(w, g), g);
        }

        boolean budgetLeft() {
            return evaluations < maxEvaluations;
        }

        /** Backtracking from the unit step along {@code direction} (a descent direction); null if no step is accepted. */
        Step lineSearch(double[] w, Point current, double[] direction) {
            double slope = dot(direction, current.gradient());
            double t = 1.0;
            for (int halving = 0; halving <= MAX_HALVINGS && budgetLeft(); halving++, t *= 0.5) {
                double[] trialW = w.clone();
                axpy(t, direction, trialW);
                Point trial = evaluateAt(trialW);
                if (acceptable(current.loss(), slope, trial, direction, t)) {
                    return new Step(trialW, trial);
                }
            }
            return null;
        }
    }

    /**
     * Minimises the lower level's loss over its weights from their current values, leaving the last accepted point
     * in the weights; returns the evaluations used.
     */
    @Override
    public int solve(SecondOrderView lower, Map<String, INDArray> feed, double gradientTolerance, int maxIterations) {
        ParamVector weights = lower.weights();
        Minimum m = minimize((w, gradient) -> {
            weights.assignInPlace(weights.withValues(w));
            LossAndGradient lg = lower.lossAndGradient(feed);
            System.arraycopy(lg.weightGradient().toDoubleArray(), 0, gradient, 0, gradient.length);
            return lg.loss();
        }, weights.toDoubleArray(), gradientTolerance, maxIterations);
        weights.assignInPlace(weights.withValues(m.weights()));
        return m.evaluations();
    }

    /**
     * Minimises {@code f} from {@code start} until {@code ‖∇f‖ ≤ gradientTolerance} or {@code maxEvaluations}
     * evaluations (the one algorithm of this project for plain float64 objectives too, such as a reference fit).
     */
    public Minimum minimize(ArrayObjective f, double[] start, double gradientTolerance, int maxEvaluations) {
        Run run = new Run(f, maxEvaluations);
        double[] w = start.clone();
        Deque<double[][]> pairs = new ArrayDeque<>();
        Point current = run.evaluateAt(w);
        while (run.budgetLeft() && norm(current.gradient()) > gradientTolerance) {
            double[] g = current.gradient();
            double[] steepest = g.clone();
            scale(steepest, -1);
            double[] direction = twoLoop(g, pairs);
            scale(direction, -1);
            if (!(dot(direction, g) < 0)) {
                pairs.clear();
                direction = steepest;
            }
            Step step = run.lineSearch(w, current, direction);
            if (step == null && !pairs.isEmpty() && run.budgetLeft()) {
                pairs.clear();
                step = run.lineSearch(w, current, steepest);
            }
            if (step == null) {
                // Out of budget, or no step along a descent direction changes the loss in float64: stop at the last
                // accepted point.
                return new Minimum(w, current.loss(), current.gradient(), run.evaluations);
            }
            double[] s = step.weights().clone();
            axpy(-1, w, s);
            double[] y = step.point().gradient().clone();
            axpy(-1, g, y);
            if (dot(s, y) > PAIR_CURVATURE * norm(s) * norm(y)) {
                pairs.addLast(new double[][] {s, y});
                if (pairs.size() > memory) {
                    pairs.removeFirst();
                }
            }
            w = step.weights();
            current = step.point();
        }
        return new Minimum(w, current.loss(), current.gradient(), run.evaluations);
    }

    /**
     * Armijo's condition {@code φ(t) ≤ φ(0) + c₁ t φ'(0)}, or, once loss differences are lost in round-off, Hager
     * and Zhang's approximate Wolfe conditions {@code σ φ'(0) ≤ φ'(t) ≤ (2c₁ − 1) φ'(0)} with
     * {@code φ(t) ≤ φ(0) + 1e-10 |φ(0)|} ({@code φ(t) = g(w + t d)}, {@code σ = 0.9}): they use the slope,
     * which stays accurate where the loss does not.
     */
    private static boolean acceptable(double loss0, double slope0, Point trial, double[] direction, double t) {
        if (trial.loss() <= loss0 + ARMIJO * t * slope0) {
            return true;
        }
        if (!(trial.loss() <= loss0 + ROUND_OFF * Math.abs(loss0))) {
            return false;
        }
        double slope = dot(trial.gradient(), direction);
        return slope >= CURVATURE * slope0 && slope <= (2 * ARMIJO - 1) * slope0;
    }

    /** {@code H_k g} by the two-loop recursion, with initial scaling {@code sᵀy / yᵀy}. */
    private static double[] twoLoop(double[] g, Deque<double[][]> pairs) {
        double[] q = g.clone();
        double[] alphas = new double[pairs.size()];
        int i = pairs.size() - 1;
        for (Iterator<double[][]> it = pairs.descendingIterator(); it.hasNext(); i--) {
            double[][] p = it.next();
            double rho = 1.0 / dot(p[1], p[0]);
            alphas[i] = rho * dot(p[0], q);
            axpy(-alphas[i], p[1], q);
        }
        if (!pairs.isEmpty()) {
            double[][] last = pairs.peekLast();
            scale(q, dot(last[0], last[1]) / dot(last[1], last[1]));
        }
        i = 0;
        for (double[][] p : pairs) {
            double rho = 1.0 / dot(p[1], p[0]);
            double beta = rho * dot(p[1], q);
            axpy(alphas[i] - beta, p[0], q);
            i++;
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code y ← y + alpha x}. */
    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    private static void scale(double[] a, double alpha) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= alpha;
        }
    }

    @Override
    public String describe() {
        return "L-BFGS(memory=" + memory + ")";
    }
}
