package org.hypergrad4j.bilevel.inexact;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lower-level solvers on the quadratic lower level {@code g = ½xᵀAx − xᵀ(Bθ + c)} (θ = 0). */
class LowerLevelSolversTest {

    private static int solve(LowerLevelSolver solver) {
        QuadraticBilevel q = new QuadraticBilevel(3, 5, 2, 1.0);
        int iterations = solver.solve(q.problem.lower(), q.problem.lowerFeed(), 1e-9, 5000);
        double gradient = q.problem.lower().lossAndGradient(q.problem.lowerFeed()).weightGradient().norm2();
        assertTrue(gradient <= 1e-9, solver.describe() + ": ‖∇g‖ = " + gradient);
        return iterations;
    }

    @Test
    void allSolversReachTheToleranceAndAccelerationPaysOff() {
        QuadraticBilevel q = new QuadraticBilevel(3, 5, 2, 1.0);
        int gd = solve(new GradientDescentSolver(q.smoothness, q.mu, false));
        int fista = solve(new GradientDescentSolver(q.smoothness, q.mu, true));
        int lbfgs = solve(new LbfgsSolver(10));
        assertTrue(fista < gd, "FISTA " + fista + " vs gradient descent " + gd + " iterations");
        assertTrue(lbfgs < gd, "L-BFGS " + lbfgs + " vs gradient descent " + gd + " iterations");
        // Gradient descent with step 1/L contracts the error by at least 1 − μ/L per step.
        double kappa = q.smoothness / q.mu;
        assertTrue(gd <= Math.ceil(kappa * Math.log(1e3 / 1e-9)) + 1, "gradient descent took " + gd + " (κ = " + kappa + ")");
    }

    @Test
    void lbfgsKeepsConvergingWhereLossDifferencesAreLostInRoundOff() {
        // Near ‖∇g‖ = 1e-12 a step changes g by about ‖∇g‖²/L ≈ 1e-25, far below the round-off of g itself, so
        // Armijo's test alone cannot accept any step: the approximate Wolfe conditions (slopes) must take over.
        QuadraticBilevel q = new QuadraticBilevel(3, 5, 2, 1.0);
        int evaluations = new LbfgsSolver(10).solve(q.problem.lower(), q.problem.lowerFeed(), 1e-12, 500);
        double gradient = q.problem.lower().lossAndGradient(q.problem.lowerFeed()).weightGradient().norm2();
        assertTrue(gradient <= 1e-12, "‖∇g‖ = " + gradient + " after " + evaluations + " evaluations");
        assertTrue(evaluations < 100, "L-BFGS needed " + evaluations + " evaluations on a 5-dimensional quadratic");
    }

    @Test
    void badConstantsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GradientDescentSolver(1.0, 2.0, false));
        assertThrows(IllegalArgumentException.class, () -> new LbfgsSolver(0));
    }
}
