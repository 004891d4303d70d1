package org.hypergrad4j.experiments.baselines;

import static org.hypergrad4j.experiments.baselines.Assertions2.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchResultTest {

    @Test
    void bestSoFarTracksTheLowestFiniteLossAgainstCumulativeSteps() {
        SearchResult result = result(new double[] {3, Double.NaN, 2, 5, 1}, new long[] {10, 10, 5, 10, 10});
        BestSoFar curve = result.bestSoFar();
        assertArrayEquals(new long[] {10, 20, 25, 35, 45}, curve.steps());
        assertArrayEquals(new double[] {3, 3, 2, 2, 1}, curve.bestLoss());
        assertEquals(5, curve.size());
        assertTrue(Double.isNaN(curve.at(0)));
        assertTrue(Double.isNaN(curve.at(9)));
        assertEquals(3, curve.at(10));
        assertEquals(3, curve.at(24));
        assertEquals(2, curve.at(25));
        assertEquals(1, curve.at(1_000));
        assertEquals(45, result.totalSteps());
        assertEquals(4, result.best().orElseThrow().index());
        assertMessage(() -> curve.at(-1), "at least 0, but was -1");
    }

    @Test
    void failedTrialsAreNeverBestAndTiesGoToTheEarliest() {
        SearchResult failing = result(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0.5, 0.5}, new long[] {1, 1, 1, 1});
        assertEquals(2, failing.best().orElseThrow().index());
        double[] best = failing.bestSoFar().bestLoss();
        assertTrue(Double.isNaN(best[0]) && Double.isNaN(best[1]));
        assertEquals(0.5, best[2]);
        SearchResult allFailed = result(new double[] {Double.NaN, Double.POSITIVE_INFINITY}, new long[] {1, 1});
        assertFalse(allFailed.best().isPresent());
        SearchResult empty = new SearchResult(List.of(), SearchResult.StopReason.BUDGET);
        assertEquals(0, empty.totalSteps());
        assertFalse(empty.best().isPresent());
        assertEquals(0, empty.bestSoFar().size());
    }

    @Test
    void inconsistentTrialsAreRejected() {
        Evaluation e = Evaluation.of(1, 5);
        assertMessage(() -> new SearchResult(List.of(new Trial(1, Map.of(), e, 5)), SearchResult.StopReason.COMPLETED),
                "must have index 0");
        assertMessage(() -> new SearchResult(List.of(new Trial(0, Map.of(), e, 5), new Trial(1, Map.of(), e, 9)),
                SearchResult.StopReason.COMPLETED), "reports 9 cumulative steps, but the trials so far used 10");
        assertMessage(() -> new SearchResult(null, SearchResult.StopReason.COMPLETED), "trials=null");
        assertMessage(() -> new Trial(0, Map.of(), e, 4), "(4) cannot be fewer than the trial's own 5");
        assertMessage(() -> new Trial(-1, Map.of(), e, 5), "at least 0, but was -1");
        assertMessage(() -> new BestSoFar(new long[] {1, 2}, new double[] {1, 2}), "entry 1 is 2.0 after 1.0");
        assertMessage(() -> new BestSoFar(new long[] {2, 1}, new double[] {1, 1}), "entry 1 is 1");
        assertMessage(() -> new BestSoFar(new long[] {1}, new double[] {1, 1}), "1 step counts and 2 losses");
    }

    @Test
    void evaluationsAreValidatedAndCopied() {
        assertMessage(() -> Evaluation.of(Double.NEGATIVE_INFINITY, 1), "-Infinity");
        assertMessage(() -> Evaluation.of(1, -1), "at least 0, but were -1");
        assertMessage(() -> new Evaluation(1, 1, null), "Map.of() for none");
        java.util.HashMap<String, Double> metrics = new java.util.HashMap<>();
        metrics.put("test_accuracy", null);
        assertMessage(() -> new Evaluation(1, 1, metrics), "test_accuracy=null");
        metrics.put("test_accuracy", 0.9);
        Evaluation e = new Evaluation(0.3, 7, metrics);
        metrics.put("test_accuracy", 0.1);
        assertEquals(0.9, e.testMetrics().get("test_accuracy"));
        assertTrue(e.succeeded());
        assertFalse(Evaluation.of(Double.NaN, 1).succeeded());
    }

    private static SearchResult result(double[] losses, long[] steps) {
        List<Trial> trials = new ArrayList<>();
        long cumulative = 0;
        for (int i = 0; i < losses.length; i++) {
            cumulative += steps[i];
            trials.add(new Trial(i, Map.of("x", (double) i), Evaluation.of(losses[i], steps[i]), cumulative));
        }
        return new SearchResult(trials, SearchResult.StopReason.COMPLETED);
    }
}
