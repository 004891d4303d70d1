package org.hypergrad4j.experiments.baselines;

import static org.hypergrad4j.experiments.baselines.Assertions2.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomSearchTest {

    private static final double LN_RANGE = Math.log(1e4); // ln(1) − ln(1e-4)

    @Test
    void sobolPointsAreTheKnownSequenceWithoutTheOrigin() {
        // The first 8 points of the 2-D Sobol sequence (Joe-Kuo direction numbers), as tabulated in the literature
        // and printed by other implementations: (0,0), (.5,.5), (.75,.25), (.25,.75), (.375,.375), (.875,.875),
        // (.625,.125), (.125,.625). The search skips the origin.
        double[][] expected = {{.5, .5}, {.75, .25}, {.25, .75}, {.375, .375}, {.875, .875}, {.625, .125}, {.125, .625}};
        double[][] unit = RandomSearch.unitPoints(2, 7, new RandomSearch.Sobol());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], unit[i], 0.0, "point " + i);
        }
        SearchSpace space = SearchSpace.builder().uniform("a", -1, 1).uniform("b", 10, 20).build();
        Map<String, Double> first = new RandomSearch(space, 7, new RandomSearch.Sobol()).points().get(1);
        assertEquals(0.5, first.get("a"), 1e-15); // −1 + 0.75 · 2
        assertEquals(12.5, first.get("b"), 1e-15); // 10 + 0.25 · 10
    }

    @Test
    void sobolPointsAreDeterministicAndInsideTheBounds() {
        SearchSpace space = SearchSpace.builder().logUniform("wd", 1e-6, 1e-1).uniform("m", 0, 0.99).intRange("k", 1, 5)
                .build();
        RandomSearch a = new RandomSearch(space, 500, new RandomSearch.Sobol());
        RandomSearch b = new RandomSearch(space, 500, new RandomSearch.Sobol());
        assertEquals(a.points(), b.points());
        assertEquals(500, a.points().size());
        for (Map<String, Double> p : a.points()) {
            assertTrue(space.contains(p), () -> p + " lies outside the space");
        }
    }

    @Test
    void thirtyOneSobolPointsLeaveNoGapWiderThanOneSixteenth() {
        // Points 1 … 31 of the 1-D Sobol sequence are j / 32 for j = 1 … 31 in some order (a (0, 5, 1)-net minus 0).
        double[][] unit = RandomSearch.unitPoints(1, 31, new RandomSearch.Sobol());
        boolean[] seen = new boolean[32];
        for (double[] u : unit) {
            double scaled = u[0] * 32;
            assertEquals(Math.rint(scaled), scaled, 0.0);
            seen[(int) scaled] = true;
        }
        for (int j = 1; j < 32; j++) {
            assertTrue(seen[j], "j/32 missing for j = " + j);
        }
    }

    @Test
    void sobolSearchGetsWithinTheNetResolutionOfTheMinimum() {
        // f(λ) = (ln λ + 2)² over λ ∈ [1e-4, 1]: in unit coordinates the minimum is u* = (−2 + ln 1e4) / ln 1e4 ≈ 0.783,
        // inside [25/32, 26/32), which holds one of the first 31 points; so the best point has |ln λ + 2| < ln(1e4)/32.
        SearchSpace space = SearchSpace.builder().logUniform("lambda", 1e-4, 1).build();
        SearchResult result = new RandomSearch(space, 31, new RandomSearch.Sobol())
                .run((p, budget) -> Evaluation.of(Math.pow(Math.log(p.get("lambda")) + 2, 2), budget), Budget.perTrial(10));
        double bestLog = Math.log(result.best().orElseThrow().point().get("lambda"));
        assertTrue(Math.abs(bestLog + 2) < LN_RANGE / 32, "best ln λ = " + bestLog);
        assertEquals(310, result.totalSteps());
    }

    @Test
    void twoDimensionalSobolSearchFindsAPointInTheMinimumsSquare() {
        // The first 256 points of the first two Sobol coordinates form a (0, 8, 2)-net: each of the 16 × 16 squares of
        // side 1/16 holds one point. The minimum's square is not the origin's, so among points 1 … 255 one lies within
        // Chebyshev distance 1/16 of it, and the best squared unit-distance is at most 2 / 16² = 1/128.
        SearchSpace space = SearchSpace.builder().logUniform("lambda", 1e-4, 1).uniform("x", 0, 1).build();
        double uStar = (-2 + LN_RANGE) / LN_RANGE;
        double xStar = 0.33;
        Objective distance = (p, budget) -> {
            double u = (Math.log(p.get("lambda")) - Math.log(1e-4)) / LN_RANGE;
            return Evaluation.of(Math.pow(u - uStar, 2) + Math.pow(p.get("x") - xStar, 2), budget);
        };
        SearchResult result = new RandomSearch(space, 255, new RandomSearch.Sobol()).run(distance, Budget.perTrial(1));
        assertTrue(result.best().orElseThrow().evaluation().validationLoss() <= 1.0 / 128,
                () -> "best " + result.best());
    }

    @Test
    void pseudoRandomSearchGetsCloseWithEnoughPoints() {
        // With 200 uniform points, the chance that none falls within 0.03 (in unit coordinates) of u* is
        // (1 − 0.06)^200 ≈ 4e-6 per seed; the seeds are fixed, so the test is deterministic.
        SearchSpace space = SearchSpace.builder().logUniform("lambda", 1e-4, 1).build();
        for (long seed : new long[] {1, 2, 3}) {
            SearchResult result = new RandomSearch(space, 200, new RandomSearch.PseudoRandom(seed))
                    .run((p, budget) -> Evaluation.of(Math.pow(Math.log(p.get("lambda")) + 2, 2), budget), Budget.perTrial(1));
            double bestLog = Math.log(result.best().orElseThrow().point().get("lambda"));
            assertTrue(Math.abs(bestLog + 2) < 0.03 * LN_RANGE, "seed " + seed + ": best ln λ = " + bestLog);
        }
    }

    @Test
    void pseudoRandomPointsComeFromTheSeededGeneratorPointByPoint() {
        double[][] unit = RandomSearch.unitPoints(3, 4, new RandomSearch.PseudoRandom(42));
        SplittableRandom random = new SplittableRandom(42);
        for (double[] point : unit) {
            for (double u : point) {
                assertEquals(random.nextDouble(), u, 0.0);
            }
        }
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        assertEquals(new RandomSearch(space, 20, new RandomSearch.PseudoRandom(5)).points(),
                new RandomSearch(space, 20, new RandomSearch.PseudoRandom(5)).points());
        assertNotEquals(new RandomSearch(space, 20, new RandomSearch.PseudoRandom(5)).points(),
                new RandomSearch(space, 20, new RandomSearch.PseudoRandom(6)).points());
    }

    @Test
    void randomSearchRespectsTheTotalBudget() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        SearchResult result = new RandomSearch(space, 100, new RandomSearch.Sobol())
                .run((p, budget) -> Evaluation.of(p.get("x"), budget), new Budget(300, 1000));
        assertEquals(3, result.trials().size());
        assertEquals(900, result.totalSteps());
        assertEquals(SearchResult.StopReason.BUDGET, result.stopReason());
    }

    @Test
    void badArgumentsAreRejected() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        assertMessage(() -> new RandomSearch(space, 0, new RandomSearch.Sobol()), "[1, 1000000], but was 0");
        assertMessage(() -> new RandomSearch(space, 5, null), "sampling=null");
        assertMessage(() -> new RandomSearch(null, 5, new RandomSearch.Sobol()), "space=null");
        assertMessage(() -> RandomSearch.unitPoints(1001, 1, new RandomSearch.Sobol()), "at most 1000 dimensions, but the space has 1001");
        assertMessage(() -> RandomSearch.unitPoints(0, 1, new RandomSearch.Sobol()), "at least 1 dimension, but got 0");
        assertMessage(() -> RandomSearch.unitPoints(1, -1, new RandomSearch.Sobol()), "at least 0, but was -1");
        assertEquals(1001, RandomSearch.unitPoints(1001, 1, new RandomSearch.PseudoRandom(1))[0].length);
    }
}
