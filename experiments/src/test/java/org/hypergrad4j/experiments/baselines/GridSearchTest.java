package org.hypergrad4j.experiments.baselines;

import static org.hypergrad4j.experiments.baselines.Assertions2.assertMessage;
import static org.hypergrad4j.experiments.baselines.Assertions2.assertThrown;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSearchTest {

    @Test
    void pointsFollowNestedLoopsWithTheLastDimensionFastest() {
        SearchSpace space = SearchSpace.builder().uniform("a", 0, 1).intRange("b", 0, 2).build();
        GridSearch grid = new GridSearch(space, Map.of("a", 2, "b", 3));
        assertEquals(6, grid.size());
        List<List<Double>> expected = List.of(List.of(0.0, 0.0), List.of(0.0, 1.0), List.of(0.0, 2.0),
                List.of(1.0, 0.0), List.of(1.0, 1.0), List.of(1.0, 2.0));
        List<List<Double>> actual = new ArrayList<>();
        for (Map<String, Double> p : grid.points()) {
            assertEquals(List.of("a", "b"), List.copyOf(p.keySet()));
            actual.add(List.of(p.get("a"), p.get("b")));
        }
        assertEquals(expected, actual);
        assertEquals(grid.points(), new GridSearch(space, Map.of("a", 2, "b", 3)).points());
    }

    @Test
    void findsTheGridPointNearestTheMinimum() {
        // f(λ, x) = (ln λ + 2)² + (x − 0.33)², minimal at ln λ = −2, x = 0.33.
        // λ grid: 5 points log-spaced over [1e-4, 1], ln λ ∈ {−9.21, −6.91, −4.61, −2.30, 0}: nearest to −2 is
        // ln 0.1 = −2.303. x grid: {0, 0.2, 0.4, 0.6, 0.8, 1}: nearest to 0.33 is 0.4. f is separable, so the best grid
        // point is (0.1, 0.4).
        SearchSpace space = SearchSpace.builder().logUniform("lambda", 1e-4, 1).uniform("x", 0, 1).build();
        GridSearch grid = new GridSearch(space, Map.of("lambda", 5, "x", 6));
        SearchResult result = grid.run(quadratic(), Budget.perTrial(100));
        assertEquals(30, result.trials().size());
        assertEquals(SearchResult.StopReason.COMPLETED, result.stopReason());
        assertEquals(3000, result.totalSteps());
        Trial best = result.best().orElseThrow();
        assertEquals(0.1, best.point().get("lambda"), 1e-12);
        assertEquals(0.4, best.point().get("x"), 1e-12);
        double expectedLoss = Math.pow(Math.log(0.1) + 2, 2) + Math.pow(0.4 - 0.33, 2);
        assertEquals(expectedLoss, best.evaluation().validationLoss(), 1e-12);
    }

    @Test
    void theTotalBudgetStopsTheSearchBeforeItIsExceeded() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        GridSearch grid = new GridSearch(space, 30);
        // Every trial uses its full 100 steps: 1000 / 100 = 10 trials, exactly 1000 steps.
        SearchResult full = grid.run((p, budget) -> Evaluation.of(p.get("x"), budget), new Budget(100, 1000));
        assertEquals(10, full.trials().size());
        assertEquals(1000, full.totalSteps());
        assertEquals(SearchResult.StopReason.BUDGET, full.stopReason());
        // Trials stopping early at 60 steps: trial k+1 starts while 60 k + 100 ≤ 1000, i.e. k ≤ 15: 16 trials, 960 steps.
        SearchResult early = grid.run((p, budget) -> Evaluation.of(p.get("x"), 60), new Budget(100, 1000));
        assertEquals(16, early.trials().size());
        assertEquals(960, early.totalSteps());
        long[] expectedSteps = new long[16];
        for (int i = 0; i < 16; i++) {
            expectedSteps[i] = 60L * (i + 1);
            assertEquals(expectedSteps[i], early.trials().get(i).cumulativeSteps());
        }
        // A budget that fits every point completes the grid.
        SearchResult all = grid.run((p, budget) -> Evaluation.of(p.get("x"), budget), new Budget(100, 3000));
        assertEquals(30, all.trials().size());
        assertEquals(SearchResult.StopReason.COMPLETED, all.stopReason());
    }

    @Test
    void eachEvaluationReceivesThePerTrialBudget() {
        List<Long> budgets = new ArrayList<>();
        new GridSearch(SearchSpace.builder().uniform("x", 0, 1).build(), 3)
                .run((p, budget) -> {
                    budgets.add(budget);
                    return Evaluation.of(0, 1);
                }, new Budget(250, 10_000));
        assertEquals(List.of(250L, 250L, 250L), budgets);
    }

    @Test
    void anObjectiveBreakingItsContractStopsTheSearch() {
        GridSearch grid = new GridSearch(SearchSpace.builder().uniform("x", 0, 1).build(), 3);
        assertThrown(IllegalStateException.class, () -> grid.run((p, b) -> Evaluation.of(1, b + 1), new Budget(10, 100)),
                "used 11 training steps for the point {x=0.0}, more than the 10 it was allowed");
        assertThrown(IllegalStateException.class, () -> grid.run((p, b) -> null, new Budget(10, 100)),
                "returned no evaluation");
        assertMessage(() -> grid.run(null, new Budget(10, 100)), "objective=null");
        assertMessage(() -> grid.run((p, b) -> Evaluation.of(1, 1), null), "budget=null");
    }

    @Test
    void badGridsAreRejected() {
        SearchSpace space = SearchSpace.builder().uniform("a", 0, 1).intRange("b", 0, 2).build();
        assertMessage(() -> new GridSearch(space, Map.of("a", 2)), "exactly the dimensions [a, b], but got [a]");
        assertMessage(() -> new GridSearch(space, 4), "Dimension \"b\" IntRange[lo=0, hi=2]: The number of grid points must lie in [1, 3], but was 4");
        assertMessage(() -> new GridSearch(space, 0), "but was 0");
        assertMessage(() -> new GridSearch(null, 3), "search space");
        SearchSpace big = SearchSpace.builder().uniform("a", 0, 1).uniform("b", 0, 1).uniform("c", 0, 1).build();
        assertMessage(() -> new GridSearch(big, 101), "more than 1000000 points");
    }

    @Test
    void budgetsAreValidated() {
        assertMessage(() -> new Budget(0, 10), "at least 1, but were 0");
        assertMessage(() -> new Budget(10, 5), "total training-step budget (5) must be at least the steps per trial (10)");
        assertEquals(Long.MAX_VALUE, Budget.perTrial(7).totalSteps());
    }

    static Objective quadratic() {
        return (p, budget) -> Evaluation.of(Math.pow(Math.log(p.get("lambda")) + 2, 2) + Math.pow(p.get("x") - 0.33, 2),
                budget);
    }
}
