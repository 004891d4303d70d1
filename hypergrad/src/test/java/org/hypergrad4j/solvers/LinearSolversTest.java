package org.hypergrad4j.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each solver on small dense systems with known solutions. */
class LinearSolversTest {
    /** A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]] (symmetric positive definite). */
    private static final double[][] SPD = {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}};

    private static LinearOperator matrix(double[][] a) {
        INDArray m = Nd4j.createFromArray(a);
        return v -> ParamVector.of("x", m.mmul(v.get("x").reshape(a.length, 1)).reshape(a.length));
    }

    private static ParamVector vec(double... v) {
        return ParamVector.of("x", Nd4j.createFromArray(v));
    }

    /** x = (1, −1, 2) solves SPD x = b with b = (3, −1, 3.5). */
    private static final double[] SOLUTION = {1, -1, 2};
    private static final ParamVector B = vec(3, -1, 3.5);

    @Test
    void iterativeAndDenseSolversFindTheSolution() {
        LinearSolver[] solvers = {new ConjugateGradient(10, 1e-12), new DenseSolve(), new FixedPointIteration(0.2, 2000, 1e-12),
            new NeumannSeries(0.2, 400, false)};
        for (LinearSolver s : solvers) {
            SolveResult r = s.solve(matrix(SPD), B, null);
            assertArrayEquals(SOLUTION, r.solution().toDoubleArray(), 1e-9, s.describe() + ": " + r.diagnosis());
        }
        SolveResult cg = new ConjugateGradient(10, 1e-12).solve(matrix(SPD), B, null);
        assertTrue(cg.converged() && cg.iterations() <= 3, "CG solves a 3×3 system in at most 3 iterations: " + cg.diagnosis());
        assertEquals(cg.iterations(), cg.products());
        assertTrue(new DenseSolve().solve(matrix(SPD), B, null).diagnosis().contains("Cholesky"));
    }

    @Test
    void warmStartAtTheSolutionNeedsNoIteration() {
        SolveResult r = new ConjugateGradient(10, 1e-10).solve(matrix(SPD), B, vec(SOLUTION));
        assertEquals(0, r.iterations());
        assertEquals(1, r.products(), "one product to form the initial residual");
    }

    @Test
    void identityIsAlphaTimesB() {
        assertArrayEquals(new double[] {1.5, -0.5, 1.75}, new IdentitySolve(0.5).solve(matrix(SPD), B, null).solution().toDoubleArray(), 0.0);
    }

    @Test
    void denseSolveFallsBackForIndefiniteAndSingularMatrices() {
        double[][] indefinite = {{1, 0}, {0, -2}};
        SolveResult lu = new DenseSolve().solve(matrix(indefinite), vec(1, 4), null);
        assertArrayEquals(new double[] {1, -2}, lu.solution().toDoubleArray(), 1e-12);
        assertTrue(lu.diagnosis().contains("LU"), lu.diagnosis());
        double[][] singular = {{1, 1}, {1, 1}};
        SolveResult pinv = new DenseSolve().solve(matrix(singular), vec(2, 2), null);
        assertArrayEquals(new double[] {1, 1}, pinv.solution().toDoubleArray(), 1e-9);
        assertTrue(pinv.diagnosis().contains("pseudo-inverse"), pinv.diagnosis());
    }

    @Test
    void fixedPointDivergenceIsReported() {
        SolverDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(SolverDivergedException.class,
                () -> new FixedPointIteration(1.0, 100, 1e-12).solve(matrix(SPD), B, null));
        assertTrue(e.getMessage().contains("not a contraction"), e.getMessage());
    }
}
