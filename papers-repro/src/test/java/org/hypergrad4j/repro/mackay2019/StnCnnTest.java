package org.hypergrad4j.repro.mackay2019;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.experiments.baselines.Evaluation;
import org.hypergrad4j.experiments.baselines.GridSearch;
import org.hypergrad4j.experiments.baselines.Objective;
import org.hypergrad4j.experiments.baselines.RandomSearch;
import org.hypergrad4j.repro.Scale;
import org.junit.jupiter.api.Test;

/**
 * {@link StnCnn}'s accounting and selection, which decide its verdict: the searches get exactly the STN's cost
 * (training steps plus hyper steps), a search's result is chosen on validation loss and never on test loss, the
 * reused network of the searches gives the numbers of a fresh one, and bad settings are refused in one line.
 * (The whole reproduction runs at the smoke scale in {@code ReproCommandTest}.)
 */
class StnCnnTest {

    @Test
    void eachSearchGetsTheStnsTrainingAndHyperStepsAndNoMore() {
        StnCnn.Settings s = StnCnn.settings(Scale.REDUCED);
        // 16 warm-up steps, then 40 cycles of 2 training steps and 1 hyper step.
        assertEquals(96, s.stnTrainingSteps());
        assertEquals(40, s.stnHyperSteps());
        assertEquals(136, s.cost());
        assertEquals(34, s.trialSteps(), "⌊136 / 4⌋");
        List<Long> asked = new ArrayList<>();
        Objective counting = (point, budget) -> {
            asked.add(budget);
            return new Evaluation(point.get("dropout.fc"), budget, Map.of("test_loss", 1.0, "test_accuracy", 0.5));
        };
        for (StnCnn.SearchRun run : List.of(StnCnn.runSearch("grid", StnCnn.grid(s), s, counting, 1),
                StnCnn.runSearch("random", new RandomSearch(StnCnn.space(s), s.trials(), new RandomSearch.PseudoRandom(1)), s, counting, 1))) {
            assertEquals(4, run.search().trials().size(), run.name());
            assertEquals(136, run.search().totalSteps(), run.name() + ": 4 trials of 34 steps, the STN's 136");
            assertTrue(run.best().cost() <= s.cost());
        }
        assertTrue(asked.stream().allMatch(b -> b == 34), "every trial is allowed ⌊C / trials⌋ steps: " + asked);
    }

    @Test
    void theGridVariesTheFirstAxesOfItsOrderAtTheirEndsAndHoldsTheOthersMidRange() {
        GridSearch g = StnCnn.grid(StnCnn.settings(Scale.REDUCED));
        assertEquals(4, g.size());
        for (Map<String, Double> p : g.points()) {
            assertTrue(p.get("dropout.fc") == 0.0 || p.get("dropout.fc") == 0.8, p.toString());
            assertTrue(p.get(StnCnn.CUTOUT_LENGTH) == 0.0 || p.get(StnCnn.CUTOUT_LENGTH) == 16.0, p.toString());
            assertEquals(0.4, p.get("dropout.input"), 1e-12);
            assertEquals(0.4, p.get("dropout.conv1"), 1e-12);
            assertEquals(0.4, p.get("dropout.conv2"), 1e-12);
            assertEquals(2.0, p.get(StnCnn.CUTOUT_HOLES), "the middle of 0…4");
        }
        assertEquals(4, g.points().stream().distinct().count(), "four distinct points");
    }

    @Test
    void theSearchKeepsTheTrialOfLowestValidationLossWhateverItsTestLoss() {
        StnCnn.Settings s = StnCnn.settings(Scale.REDUCED);
        // Validation losses 1.0, NaN (diverged), 0.8, 0.9 with test losses 0.5, 0.0, 0.9, 0.1: the test set would pick
        // the diverged or the last trial; validation picks the third.
        double[][] outcomes = {{1.0, 0.5}, {Double.NaN, 0.0}, {0.8, 0.9}, {0.9, 0.1}};
        int[] next = {0};
        Objective scripted = (point, budget) -> {
            double[] o = outcomes[next[0]++];
            return new Evaluation(o[0], budget, Map.of("test_loss", o[1], "test_accuracy", 0.5));
        };
        StnCnn.SearchRun run = StnCnn.runSearch("scripted", StnCnn.grid(s), s, scripted, 1);
        assertEquals(0.9, run.best().test().loss(), 0.0);
        assertEquals(0.8, run.best().validation().loss(), 0.0);
        assertArrayEquals(new double[]{0.5, 0.5, 0.9, 0.9}, run.bestSoFarTestLoss(), 0.0);
        assertArrayEquals(new double[]{34, 68, 102, 136}, run.cumulativeSteps(), 0.0);
    }

    /** A network reset to its initial weights trains to the numbers of a fresh build, whatever trained before it. */
    @Test
    void theReusedSearchNetworkGivesTheNumbersOfAFreshOne() {
        StnCnn.Settings tiny = new StnCnn.Settings(40, 16, 16, 8, 0, 1, 2, 1, 8, 1e-3, 0.05, 0.8, 16, 4, 0.05, 4, 1, 1, 1);
        Split data = StnCnn.load(tiny, null);
        Map<String, Double> a = point(0.1, 0.2, 0.3, 0.4, 6, 2);
        Map<String, Double> b = point(0.7, 0.0, 0.5, 0.0, 12, 4);
        StnCnn.FixedRuns reused = new StnCnn.FixedRuns(tiny, data, 5);
        StnCnn.Result first = reused.train(a, 3, "a");
        StnCnn.Result other = reused.train(b, 3, "b");
        StnCnn.Result again = reused.train(a, 3, "a");
        StnCnn.Result fresh = new StnCnn.FixedRuns(tiny, data, 5).train(a, 3, "a");
        assertNotEquals(first.validation().loss(), other.validation().loss(), "the hyperparameters change the training");
        assertEquals(first.validation().loss(), again.validation().loss(), 0.0);
        assertEquals(first.test().loss(), again.test().loss(), 0.0);
        assertEquals(first.test().loss(), fresh.test().loss(), 0.0);
        // λ lives in the float graph, so a rate comes back within float precision; the discrete values exactly.
        a.forEach((name, v) -> assertEquals(v, again.values().get(name), name.startsWith("cutout") ? 0.0 : 1e-6, name));
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> new StnCnn.Settings(40, 16, 16, 8, 0, 1, 2, 1, 8, 1e-3, 0.05, 0.8, 16, 4, 0.05, 4, 1, 4, 1));
        assertTrue(e1.getMessage().contains("cannot be shared among 4 trials"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new StnCnn.Settings(40, 16, 16, 8, 0, 1, 2, 1, 8, 1e-3, 0.05, 0.8, 16, 4, 0.9, 4, 1, 1, 1));
        assertTrue(e2.getMessage().contains("initial rate 0.9"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new StnCnn.Settings(40, 16, 16, 8, 0, 1, 2, 1, 8, 1e-3, 0.05, 0.8, 16, 4, 0.05, 17, 1, 1, 1));
        assertTrue(e3.getMessage().contains("initial 17"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> StnCnn.settings(Scale.FULL));
        assertTrue(e4.getMessage().contains("smoke and reduced"), e4.getMessage());
        for (var e : List.of(e1, e2, e3, e4)) {
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    private static Map<String, Double> point(double input, double conv1, double conv2, double fc, int length, int holes) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("dropout.input", input);
        p.put("dropout.conv1", conv1);
        p.put("dropout.conv2", conv2);
        p.put("dropout.fc", fc);
        p.put(StnCnn.CUTOUT_LENGTH, (double) length);
        p.put(StnCnn.CUTOUT_HOLES, (double) holes);
        return p;
    }
}
