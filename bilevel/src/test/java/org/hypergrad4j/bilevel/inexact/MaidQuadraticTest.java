package org.hypergrad4j.bilevel.inexact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MAID on the quadratic bilevel problem reaches the closed-form optimum's upper-level value to 1e-6 relative
 * from ε₀ ∈ {1e-1, 1e-3, 1e-5}, while the fixed-accuracy variant at ε = δ = 0.1 stalls higher.
 */
class MaidQuadraticTest {

    private static double relativeGap(QuadraticBilevel q) {
        return (q.currentValue() - q.optimalValue) / Math.abs(q.optimalValue);
    }

    @Test
    void adaptiveAccuracyReachesTheOptimumFromAnyStartingAccuracy() {
        for (double eps0 : new double[] {1e-1, 1e-3, 1e-5}) {
            QuadraticBilevel q = new QuadraticBilevel(7, 4, 2, 1.0);
            Maid maid = new Maid(q.problem, new GradientDescentSolver(q.smoothness, q.mu, true),
                    Maid.Settings.defaults().withAccuracy(eps0, eps0));
            List<Maid.Iteration> log = maid.run(22, Long.MAX_VALUE);
            double gap = relativeGap(q);
            assertTrue(gap < 1e-6, "ε₀ = " + eps0 + ": relative gap " + gap + " after " + log.size() + " iterations, cost " + maid.cost());
            assertTrue(gap > -1e-9, "cannot beat the optimum: " + gap);
        }
    }

    @Test
    void fixedAccuracyStallsHigher() {
        QuadraticBilevel fixed = new QuadraticBilevel(7, 4, 2, 1.0);
        new Maid(fixed.problem, new GradientDescentSolver(fixed.smoothness, fixed.mu, true), Maid.Settings.defaults().fixedAccuracy())
                .run(30, Long.MAX_VALUE);
        // The adaptive runs above reach a gap below 1e-6 in at most 22 iterations; at fixed ε = δ = 0.1, 30 do not.
        assertTrue(relativeGap(fixed) > 1e-4, "fixed accuracy stalls: gap " + relativeGap(fixed));
    }
}
