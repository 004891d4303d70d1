package org.hypergrad4j.hypergrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.NeumannSeries;
import org.hypergrad4j.solvers.SolveResult;
import org.hypergrad4j.solvers.SolverDivergedException;
import org.hypergrad4j.testing.BilevelFixtures;
import org.hypergrad4j.testing.BilevelFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ReliabilityTest {

    @Test
    void neumannDivergenceIsReportedWithTheRemedy() {
        Fixture f = BilevelFixtures.ridge(1, 40, 30, 6);
        f.moveToOptimum();
        double tooLarge = 2.5 / f.maxHessianEigenvalue();
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> new ImplicitHypergradient(new NeumannSeries(tooLarge, 50).throwingOnGrowth()).compute(f.problem()));
        assertTrue(e.getMessage().contains("spectral radius of I − αA"), e.getMessage());
        assertTrue(e.getMessage().contains("smaller α"), e.getMessage());
        // By default the series stops there instead (the authors' rule) and says why.
        HypergradientResult stopped = new ImplicitHypergradient(new NeumannSeries(tooLarge, 50)).compute(f.problem());
        assertTrue(stopped.diagnosis().contains("grew by a factor"), stopped.diagnosis());
        assertTrue(!stopped.converged(), "a series stopped by a growing term has not converged");
    }

    @Test
    void neumannStopsAtTheFirstGrowingTermWithThePartialSumBeforeIt() {
        // A = diag(1, −1), α = 0.5: I − αA = diag(0.5, 1.5), so ‖(I − αA) b‖ > ‖b‖ for b = (1, 1) and the
        // first term grows: the partial sum is the zeroth term alone, α b.
        ParamVector b = ParamVector.of("x", Nd4j.createFromArray(1.0, 1.0));
        SolveResult r = new NeumannSeries(0.5, 10).solve(v -> ParamVector.of("x", v.get("x").mul(Nd4j.createFromArray(1.0, -1.0))), b, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, 0.5}, r.solution().toDoubleArray(), 1e-15);
        assertTrue(!r.converged() && r.diagnosis().contains("term 1 grew"), r.diagnosis());
    }

    @Test
    void conjugateGradientReportsNegativeCurvature() {
        // A = diag(1, −1): indefinite.
        ParamVector b = ParamVector.of("x", Nd4j.createFromArray(1.0, 1.0));
        ConjugateGradient cg = new ConjugateGradient(10, 1e-12);
        SolveResult r = cg.solve(v -> ParamVector.of("x", v.get("x").mul(Nd4j.createFromArray(1.0, -1.0))), b, null);
        assertFalse(r.converged());
        assertTrue(r.diagnosis().contains("non-positive curvature"), r.diagnosis());
        ConjugateGradient strict = new ConjugateGradient(10, 1e-12, true);
        assertThrows(SolverDivergedException.class,
                () -> strict.solve(v -> ParamVector.of("x", v.get("x").mul(Nd4j.createFromArray(1.0, -1.0))), b, null));
    }

    @Test
    void conjugateGradientWarmStartNeedsFewerIterations() {
        Fixture f = BilevelFixtures.logistic(3, 200, 40, 40);
        f.moveToOptimum();
        ImplicitHypergradient method = new ImplicitHypergradient(new ConjugateGradient(100, 1e-10)).warmStarting();
        HypergradientResult cold = method.compute(f.problem());
        f.problem().hyperparameters().get("lambda").addi(1e-4);
        HypergradientResult warm = method.compute(f.problem());
        assertTrue(warm.solverIterations() < cold.solverIterations(), warm.solverIterations() + " vs " + cold.solverIterations());
        assertTrue(cold.converged() && warm.converged());
    }

    @Test
    void nonFiniteValuesNameTheStage() {
        Fixture f = BilevelFixtures.ridge(2, 20, 10, 3);
        f.weights().get("w").putScalar(0, Double.NaN);
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                () -> new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)).compute(f.problem()));
        assertTrue(e.stage().contains("validation"), e.getMessage());
        f.weights().get("w").putScalar(0, 0.0);
        f.problem().hyperparameters().get("lambda").putScalar(1, 1e6);
        NonFiniteValueException inf = assertThrows(NonFiniteValueException.class,
                () -> ReverseUnrolledHypergradient.full(SgdSchedule.constant(3, 0.1, 0.0), StepFeeds.constant(f.trainingFeed()))
                        .compute(f.problem()));
        assertTrue(inf.getMessage().contains("training"), inf.getMessage());
    }

    @Test
    void mismatchedLossesFailBeforeAnyComputation() {
        SameDiff a = SameDiff.create();
        SDVariable w = a.var("w", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        SDVariable lam = a.var("lambda", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        a.math.square(w).mul(a.math.exp(lam)).sum().rename("L_T");
        SameDiff b = SameDiff.create();
        SDVariable w2 = b.var("w", Nd4j.zeros(DataType.DOUBLE, 4, 1));
        SDVariable lam2 = b.var("lambda", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        b.math.square(w2).mul(2.0).sum().add(lam2.sum()).rename("L_V");
        var train = ExactSecondOrderView.build(a, "L_T", List.of("w"), List.of("lambda"));
        var val = ExactSecondOrderView.build(b, "L_V", List.of("w"), List.of("lambda"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HypergradientProblem.fullBatch(train, Map.of(), val, Map.of()));
        assertTrue(e.getMessage().contains("{w=[3, 1]} vs {w=[4, 1]}"), e.getMessage());

        SameDiff c = SameDiff.create();
        SDVariable w3 = c.var("w", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        SDVariable lam3 = c.var("lambda", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        c.math.square(w3).add(lam3).sum().rename("L_V");
        var separate = ExactSecondOrderView.build(c, "L_V", List.of("w"), List.of("lambda"));
        IllegalArgumentException arrays = assertThrows(IllegalArgumentException.class,
                () -> HypergradientProblem.fullBatch(train, Map.of(), separate, Map.of()));
        assertTrue(arrays.getMessage().contains("different arrays"), arrays.getMessage());

        assertThrows(IllegalArgumentException.class, () -> SgdSchedule.constant(5, 0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new NeumannSeries(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> ReverseUnrolledHypergradient.truncated(SgdSchedule.constant(5, 0.1, 0), s -> Map.of(), 6));
    }

    @Test
    void hypergradientCheckAgreesWithFiniteDifferencesAtResolvedOptima() {
        Fixture f = BilevelFixtures.logistic(4, 50, 40, 4);
        HypergradientCheck check = new HypergradientCheck(new NewtonInnerSolver(1e-10, 50), 4, 1e-4, 1);
        HypergradientCheck.Report exact = check.check(new ImplicitHypergradient(new ConjugateGradient(50, 1e-12)), f.problem(), f.trainingFeed());
        assertTrue(exact.minCosineToExact() > 0.999999, exact.toTable());
        assertTrue(exact.maxExactRelativeErrorToFiniteDifferences() < 1e-6, exact.toTable());
        assertTrue(exact.maxRelativeErrorToFiniteDifferences() < 1e-6, exact.toTable());
        // The reference itself is right: the closed-form value computed outside the framework.
        assertTrue(HypergradientCheck.relativeError(exact.exactHypergradient().toDoubleArray(), f.exactHypergradient()) < 1e-8);
        HypergradientCheck.Report rough = check.check(new ImplicitHypergradient(new NeumannSeries(0.5 / f.maxHessianEigenvalue(), 2)),
                f.problem(), f.trainingFeed());
        assertTrue(rough.maxRelativeErrorToExact() > 1e-3, "a 2-term Neumann series is visibly inexact:\n" + rough.toTable());
        assertTrue(rough.toTable().contains("| lambda | 4 |"), rough.toTable());
    }

    @Test
    void stochasticTermsUseTheirOwnMinibatches() {
        Fixture f = BilevelFixtures.ridge(5, 64, 48, 3);
        f.moveToOptimum();
        MinibatchSampler val = new MinibatchSampler(f.validationFeed(), 48, 1);
        MinibatchSampler train = new MinibatchSampler(f.trainingFeed(), 64, 2);
        HypergradientProblem fullAsStochastic = new HypergradientProblem(f.problem().training(), f.problem().validation(), val, train, train);
        HypergradientMethod exact = new ImplicitHypergradient(new ConjugateGradient(50, 1e-12));
        // Batches as large as the data sets reproduce the full-batch hypergradient.
        assertTrue(HypergradientCheck.relativeError(exact.compute(fullAsStochastic).hypergradient().toDoubleArray(),
                f.exactHypergradient()) < 1e-8);
        // Small batches give a noisy estimate whose average over draws approaches the full value.
        MinibatchSampler smallVal = new MinibatchSampler(f.validationFeed(), 8, 3);
        MinibatchSampler smallTrain = new MinibatchSampler(f.trainingFeed(), 16, 4);
        MinibatchSampler smallMixed = new MinibatchSampler(f.trainingFeed(), 16, 5);
        HypergradientProblem stochastic = new HypergradientProblem(f.problem().training(), f.problem().validation(),
                smallVal, smallTrain, smallMixed);
        double[] mean = new double[3];
        double single = Double.NaN;
        int draws = 60;
        for (int k = 0; k < draws; k++) {
            double[] h = exact.compute(stochastic).hypergradient().toDoubleArray();
            if (k == 0) {
                single = HypergradientCheck.cosine(h, f.exactHypergradient());
            }
            for (int j = 0; j < 3; j++) {
                mean[j] += h[j] / draws;
            }
        }
        double averaged = HypergradientCheck.cosine(mean, f.exactHypergradient());
        assertTrue(averaged > 0.95, "averaged stochastic hypergradient cosine " + averaged + " (single draw " + single + ")");
        assertEquals(8, smallVal.get().get("x_val").size(0));
        assertEquals(smallTrain.at(3).get("x_train"), smallTrain.at(3).get("x_train"), "a step's batch is reproducible");
    }
}
