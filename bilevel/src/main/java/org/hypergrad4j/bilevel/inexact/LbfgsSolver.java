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
 * pairs and a backtracking Armijo line search ({@code c₁ = 1e-4}, halving). Every loss-and-gradient
 * evaluation counts as an iteration. Pairs with {@code sᵀy ≤ 0} are skipped.
 */
public final class LbfgsSolver implements LowerLevelSolver {
    private final int memory;

    public LbfgsSolver(int memory) {
        if (memory < 1) {
            throw new IllegalArgumentException("L-BFGS memory must be at least 1, got " + memory + ".");
        }
        this.memory = memory;
    }

    @Override
    public int solve(SecondOrderView lower, Map<String, INDArray> feed, double gradientTolerance, int maxIterations) {
        ParamVector w = lower.weights();
        Deque<ParamVector[]> pairs = new ArrayDeque<>();
        LossAndGradient lg = lower.lossAndGradient(feed);
        int evaluations = 1;
        while (evaluations < maxIterations && lg.weightGradient().norm2() > gradientTolerance) {
            ParamVector g = lg.weightGradient();
            ParamVector direction = twoLoop(g, pairs).scale(-1);
            double slope = direction.dot(g);
            if (!(slope < 0)) {
                pairs.clear();
                direction = g.scale(-1);
                slope = -g.dot(g);
            }
            ParamVector start = w.dup();
            double t = 1.0;
            LossAndGradient trial;
            do {
                w.assignInPlace(start).axpyInPlace(t, direction);
                trial = lower.lossAndGradient(feed);
                evaluations++;
                t *= 0.5;
            } while (trial.loss() > lg.loss() + 1e-4 * 2 * t * slope && evaluations < maxIterations);
            ParamVector s = w.sub(start);
            ParamVector y = trial.weightGradient().sub(g);
            if (s.dot(y) > 1e-12) {
                pairs.addLast(new ParamVector[] {s, y});
                if (pairs.size() > memory) {
                    pairs.removeFirst();
                }
            }
            lg = trial;
        }
        return evaluations;
    }

    /** {@code H_k g} by the two-loop recursion, with initial scaling {@code sᵀy / yᵀy}. */
    private static ParamVector twoLoop(ParamVector g, Deque<ParamVector[]> pairs) {
        ParamVector q = g.dup();
        double[] alphas = new double[pairs.size()];
        int i = pairs.size() - 1;
        for (Iterator<ParamVector[]> it = pairs.descendingIterator(); it.hasNext(); i--) {
            ParamVector[] p = it.next();
            double rho = 1.0 / p[1].dot(p[0]);
            alphas[i] = rho * p[0].dot(q);
            q.axpyInPlace(-alphas[i], p[1]);
        }
        if (!pairs.isEmpty()) {
            ParamVector[] last = pairs.peekLast();
            q.scaleInPlace(last[0].dot(last[1]) / last[1].dot(last[1]));
        }
        i = 0;
        for (ParamVector[] p : pairs) {
            double rho = 1.0 / p[1].dot(p[0]);
            double beta = rho * p[1].dot(q);
            q.axpyInPlace(alphas[i] - beta, p[0]);
            i++;
        }
        return q;
    }

    @Override
    public String describe() {
        return "L-BFGS(memory=" + memory + ")";
    }
}
