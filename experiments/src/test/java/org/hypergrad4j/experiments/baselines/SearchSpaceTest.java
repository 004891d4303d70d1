package org.hypergrad4j.experiments.baselines;

import static org.hypergrad4j.experiments.baselines.Assertions2.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void logUniformGridIsEvenlySpacedInTheLogarithmWithExactEnds() {
        LogUniform d = new LogUniform(1e-4, 1);
        double[] grid = d.grid(5);
        double[] expected = {1e-4, 1e-3, 1e-2, 1e-1, 1};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], grid[i], 1e-12 * expected[i]);
        }
        assertEquals(1e-4, grid[0]);
        assertEquals(1.0, grid[4]);
        assertEquals(1e-2, d.grid(1)[0], 1e-16);
        assertEquals(1e-2, d.fromUnit(0.5), 1e-16);
        assertEquals(1e-4, d.fromUnit(0.0));
        assertEquals(1.0, d.fromUnit(1.0));
    }

    @Test
    void uniformGridAndUnitMap() {
        Uniform d = new Uniform(-1, 1);
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, d.grid(5), 1e-15);
        assertArrayEquals(new double[] {0}, d.grid(1));
        assertEquals(0.5, d.fromUnit(0.75), 1e-15);
        assertEquals(1.0, d.fromUnit(1.0));
    }

    @Test
    void intRangeGridRoundsHalfUpAndKeepsTheEnds() {
        assertArrayEquals(new double[] {1, 2, 3, 4}, new IntRange(1, 4).grid(4));
        // Unrounded offsets 0, 1.5, 3 → 0, 2, 3.
        assertArrayEquals(new double[] {1, 3, 4}, new IntRange(1, 4).grid(3));
        assertArrayEquals(new double[] {0, 5, 10}, new IntRange(0, 10).grid(3));
        assertArrayEquals(new double[] {3}, new IntRange(1, 4).grid(1)); // midpoint 2.5 rounds up
        assertArrayEquals(new double[] {3}, new IntRange(1, 5).grid(1));
        assertArrayEquals(new double[] {7}, new IntRange(7, 7).grid(1));
        assertMessage(() -> new IntRange(1, 4).grid(5), "[1, 4], but was 5");
    }

    @Test
    void intRangeGivesEachIntegerAnEqualShareOfTheUnitInterval() {
        IntRange d = new IntRange(0, 3);
        assertEquals(0.0, d.fromUnit(0.0));
        assertEquals(0.0, d.fromUnit(0.2499));
        assertEquals(1.0, d.fromUnit(0.25));
        assertEquals(2.0, d.fromUnit(0.5));
        assertEquals(3.0, d.fromUnit(0.75));
        assertEquals(3.0, d.fromUnit(1.0));
        // 40,000 uniform draws: each of the 4 integers expects 10,000 (binomial sd ≈ 87); allow 5 sd.
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 40_000; i++) {
            counts[(int) d.fromUnit(random.nextDouble())]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 5 * Math.sqrt(40_000 * 0.25 * 0.75));
        }
    }

    @Test
    void containsChecksRangeAndIntegrality() {
        assertTrue(new LogUniform(1e-3, 1).contains(0.5));
        assertFalse(new LogUniform(1e-3, 1).contains(2));
        assertFalse(new Uniform(0, 1).contains(Double.NaN));
        assertTrue(new IntRange(1, 3).contains(2));
        assertFalse(new IntRange(1, 3).contains(2.5));
        assertFalse(new IntRange(1, 3).contains(4));
    }

    @Test
    void dimensionsRejectBadRangesAndCoordinates() {
        assertMessage(() -> new LogUniform(0, 1), "0 < lo < hi < ∞, but got lo=0.0, hi=1.0");
        assertMessage(() -> new LogUniform(1, 1), "lo=1.0, hi=1.0");
        assertMessage(() -> new LogUniform(1e-3, Double.POSITIVE_INFINITY), "hi=Infinity");
        assertMessage(() -> new Uniform(Double.NaN, 1), "lo=NaN");
        assertMessage(() -> new Uniform(2, 1), "lo=2.0, hi=1.0");
        assertMessage(() -> new Uniform(-Double.MAX_VALUE, Double.MAX_VALUE), "finite width");
        assertMessage(() -> new IntRange(3, 2), "lo=3, hi=2");
        assertMessage(() -> new Uniform(0, 1).fromUnit(1.5), "[0, 1], but was 1.5");
        assertMessage(() -> new LogUniform(1, 2).fromUnit(Double.NaN), "but was NaN");
        assertMessage(() -> new Uniform(0, 1).grid(0), "but was 0");
        assertMessage(() -> new Uniform(0, 1).grid(Dimension.MAX_GRID_POINTS + 1), "but was 1000001");
    }

    @Test
    void spaceKeepsDeclarationOrderAndMapsUnitPoints() {
        SearchSpace space = SearchSpace.builder()
                .logUniform("weight_decay", 1e-6, 1e-2)
                .uniform("momentum", 0, 0.9)
                .intRange("layers", 1, 4)
                .build();
        assertEquals(List.of("weight_decay", "momentum", "layers"), space.names());
        assertEquals(3, space.size());
        Map<String, Double> point = space.fromUnit(new double[] {0.5, 0.5, 0.5});
        assertEquals(List.of("weight_decay", "momentum", "layers"), List.copyOf(point.keySet()));
        assertEquals(1e-4, point.get("weight_decay"), 1e-18);
        assertEquals(0.45, point.get("momentum"), 1e-15);
        assertEquals(3.0, point.get("layers"));
        assertTrue(space.contains(point));
        Map<String, Double> outside = new LinkedHashMap<>(point);
        outside.put("momentum", 0.95);
        assertFalse(space.contains(outside));
        assertFalse(space.contains(Map.of("weight_decay", 1e-4)));
        assertEquals(new IntRange(1, 4), space.dimension("layers"));
    }

    @Test
    void spaceRejectsBadNamesDuplicatesAndWrongPoints() {
        assertMessage(() -> SearchSpace.builder().build(), "at least one dimension");
        assertMessage(() -> SearchSpace.builder().uniform("a b", 0, 1), "\"a b\"");
        assertMessage(() -> SearchSpace.builder().uniform("", 0, 1), "\"\"");
        assertMessage(() -> SearchSpace.builder().uniform("x", 0, 1).uniform("x", 0, 2), "already has a dimension \"x\"");
        assertMessage(() -> SearchSpace.builder().add("x", null), "\"x\" must not be null");
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        assertMessage(() -> space.fromUnit(new double[] {0.1, 0.2}), "needs 1 coordinates, one per dimension [x], but got 2");
        assertMessage(() -> space.dimension("y"), "no dimension \"y\"");
    }
}
