package org.hypergrad4j.experiments.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
    /** Loss (x − 0.3)² + 1/steps: more steps help every configuration equally, so the ranking is by x. */
    private static final Objective QUADRATIC = (point, steps) -> Evaluation.of(Math.pow(point.get("x") - 0.3, 2) + 1.0 / steps, steps);

    private static List<Map<String, Double>> points(int n) {
        // A fixed shuffled order of x values in [0, 1].
        return IntStream.range(0, n).mapToObj(i -> Map.of("x", ((i * 37) % n) / (double) (n - 1))).toList();
    }

    @Test
    void eachRungKeepsTheBestThirdAtThreeTimesTheSteps() {
        List<Map<String, Double>> points = points(9);
        SearchResult r = SuccessiveHalving.run(QUADRATIC, points, 9, 1, 9, 3);
        assertEquals(13, r.trials().size(), "9 + 3 + 1 evaluations");
        assertEquals(27, r.totalSteps(), "9·1 + 3·3 + 1·9 steps");
        List<Map<String, Double>> byLoss = new ArrayList<>(points);
        byLoss.sort(Comparator.comparingDouble(p -> Math.abs(p.get("x") - 0.3)));
        for (int i = 9; i < 12; i++) {
            assertEquals(3, r.trials().get(i).evaluation().stepsUsed());
            assertTrue(byLoss.subList(0, 3).contains(r.trials().get(i).point()), "rung 1 holds the three best of rung 0");
        }
        assertEquals(byLoss.get(0), r.trials().get(12).point(), "the last rung holds the best configuration");
        assertEquals(9, r.trials().get(12).evaluation().stepsUsed());
        assertEquals(byLoss.get(0), r.best().orElseThrow().point());
    }

    @Test
    void hyperbandRunsItsBracketsWithLiEtAlsSizesAndBudgets() {
        // r = 1, R = 9, η = 3: s_max = 2; brackets (n, r) = (9, 1), (5, 3), (3, 9).
        assertEquals(17, SuccessiveHalving.hyperbandConfigurations(1, 9, 3));
        SearchResult r = SuccessiveHalving.hyperband(QUADRATIC, points(17), 1, 9, 3);
        assertEquals(13 + 6 + 3, r.trials().size());
        assertEquals(27 + 24 + 27, r.totalSteps(), "bracket steps 9+9+9, 15+9, 27");
        assertEquals(9, r.trials().get(r.trials().size() - 1).evaluation().stepsUsed());
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.hyperband(QUADRATIC, points(16), 1, 9, 3));
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("The reduction factor η must be at least 2, got 1.",
                assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.run(QUADRATIC, points(9), 9, 1, 9, 1)).getMessage());
        assertEquals("Successive halving needs 1 ≤ r ≤ R steps, got r = 10, R = 9.",
                assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.run(QUADRATIC, points(9), 9, 10, 9, 3)).getMessage());
        assertEquals("Successive halving starts n configurations with 1 ≤ n ≤ 9 (the points given), got n = 10.",
                assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.run(QUADRATIC, points(9), 10, 1, 9, 3)).getMessage());
        assertThrows(IllegalStateException.class, () -> SuccessiveHalving.run((p, s) -> Evaluation.of(1, s + 1), points(3), 3, 1, 3, 3));
    }
}
