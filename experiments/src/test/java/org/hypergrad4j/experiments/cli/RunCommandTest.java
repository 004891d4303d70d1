package org.hypergrad4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.hypergrad4j.experiments.cli.HpoCli.assertOneLine;
import static org.hypergrad4j.experiments.cli.HpoCli.hpo;
import org.hypergrad4j.experiments.cli.HpoCli.Outcome;

/** {@code hpo run}, {@code resume} and {@code summarise} on the weight-decay experiment. */
class RunCommandTest {
    private static final String[] SHORT = {"--hyper-steps", "4", "--inner-steps", "15", "--seed", "3"};

    private static String[] with(String[] base, String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    private static Path onlyRun(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            List<Path> runs = s.toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    @Test
    void runFolderIsCompleteAndSummariseReproducesThePrintedSummary(@TempDir Path root) throws IOException {
        Outcome run = hpo(with(with(new String[] {"run", "weight-decay"}, SHORT), "--out", root.toString()));
        assertEquals(0, run.status(), run.err());
        Path folder = onlyRun(root);
        for (String f : List.of("config.json", "provenance.json", "metrics.csv", "summary.json", "losses.png", "hyperparameters.png",
                "lambda-histogram.png", "checkpoint/step-0000000003.ckpt", "checkpoint/step-0000000004.ckpt")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), "missing " + f);
        }
        assertFalse(Files.exists(folder.resolve("checkpoint/step-0000000002.ckpt")), "only the newest two checkpoints are kept");
        RunRecord record = RunDirectory.open(folder);
        assertEquals(4, record.metrics().rowCount());
        assertEquals(3L, ((Number) record.config().get("seed")).longValue());
        assertTrue(record.provenance().backend().length() > 0);
        Outcome summary = hpo("summarise", folder.toString());
        assertEquals(0, summary.status(), summary.err());
        int at = run.out().indexOf("\nRun ");
        assertTrue(at >= 0, run.out());
        assertEquals(run.out().substring(at), summary.out(), "summarise prints what the run printed");
    }

    @Test
    void killedAndResumedRunEndsWithTheSameMetrics(@TempDir Path root) throws IOException {
        Path whole = root.resolve("whole");
        Path split = root.resolve("split");
        assertEquals(0, hpo(with(with(new String[] {"run", "weight-decay"}, SHORT), "--out", whole.toString())).status());
        Outcome stopped = hpo(with(with(new String[] {"run", "weight-decay"}, SHORT), "--out", split.toString(), "--stop-after", "2"));
        assertEquals(0, stopped.status(), stopped.err());
        Path folder = onlyRun(split);
        assertFalse(Files.exists(folder.resolve("summary.json")), "an interrupted run has no summary");
        Outcome resumed = hpo("resume", folder.toString());
        assertEquals(0, resumed.status(), resumed.err());
        Map<String, Object> a = RunDirectory.open(onlyRun(whole)).summary().orElseThrow();
        Map<String, Object> b = RunDirectory.open(folder).summary().orElseThrow();
        for (String key : List.of("train_loss", "val_loss", "test_loss", "test_accuracy", "lambda_mean", "lambda_min", "lambda_max")) {
            assertEquals(((Number) a.get(key)).doubleValue(), ((Number) b.get(key)).doubleValue(), 0.0, key);
        }
        RunRecord ra = RunDirectory.open(onlyRun(whole));
        RunRecord rb = RunDirectory.open(folder);
        assertEquals(ra.metrics().rowCount(), rb.metrics().rowCount());
        for (String column : List.of("val_loss", "hypergradient_norm", "lambda_mean")) {
            double[] x = ra.metrics().column(column);
            double[] y = rb.metrics().column(column);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 0.0, column + " at row " + i);
            }
        }
    }

    @Test
    void decaySearchBaselineWritesItsRunAndRepeatsOverSeeds(@TempDir Path root) throws IOException {
        Outcome run = hpo("run", "decay-search", "--trials", "3", "--steps-per-trial", "60", "--seeds", "2", "--out", root.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("Over 2 seeds: test accuracy"), run.out());
        try (Stream<Path> s = Files.list(root)) {
            List<Path> runs = s.sorted().toList();
            assertEquals(2, runs.size());
            RunRecord first = RunDirectory.open(runs.get(0));
            assertEquals(3, first.metrics().rowCount());
            double[] cumulative = first.metrics().column("cumulative_steps");
            assertEquals(180.0, cumulative[2], 0.0, "three trials of 60 steps");
            double[] logDecay = first.metrics().column("log_decay");
            assertEquals(-10.0, logDecay[0], 1e-9, "the grid starts at the lower bound");
            assertEquals(-1.0, logDecay[2], 1e-9, "and ends at the upper bound");
            assertTrue(Files.isRegularFile(runs.get(0).resolve("best-so-far.png")));
            Outcome summary = hpo("summarise", runs.get(0).toString());
            assertTrue(run.out().contains(summary.out().strip()), "summarise reproduces the printed summary");
        }
    }

    @Test
    void badInputExitsWithOneLineReason(@TempDir Path root) {
        assertOneLine(hpo("run", "no-such-experiment", "--out", root.toString()), "Unknown experiment 'no-such-experiment'");
        assertOneLine(hpo("run", "weight-decay", "--budget", "-5", "--out", root.toString()), "--hyper-steps must lie in [1, 1000000], got -5");
        assertOneLine(hpo("run", "weight-decay", "--dataset", "fashion-mnist", "--data-dir", root.resolve("nowhere").toString(),
                "--out", root.toString()), "dataset-fashion-mnist");
        assertOneLine(hpo("resume", root.resolve("missing-run").toString()), "missing-run");
        assertOneLine(hpo("run", "decay-search", "--search", "bayesian", "--out", root.toString()), "Unknown search 'bayesian'");
        assertOneLine(hpo("run", "weight-decay", "--seeds", "0", "--out", root.toString()), "--seeds must lie in [1, 1000]");
        assertOneLine(hpo("summarise", root.resolve("missing-run").toString()), "missing-run");
    }

    /** {@code hpo run stn-dropout}, shortened to 2 epochs: a complete run folder with the schedule and the comparison. */
    @Test
    void stnDropoutRunWritesScheduleAndComparison(@TempDir Path root) throws IOException {
        Outcome run = hpo("run", "stn-dropout", "--epochs", "2", "--seed", "5", "--out", root.toString());
        assertEquals(0, run.status(), run.err());
        Path folder = onlyRun(root);
        for (String f : List.of(RunDirectory.CONFIG, RunDirectory.PROVENANCE, RunDirectory.SUMMARY, "schedule.csv", "schedule.png", "results.txt")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), "missing " + f);
        }
        // 2 epochs of 20 steps, 1 warm-up epoch, 2 training steps per cycle: 10 cycles, a header and 10 rows.
        assertEquals(11, Files.readAllLines(folder.resolve("schedule.csv")).size());
        Map<String, Object> summary = RunDirectory.open(folder).summary().orElseThrow();
        double testLoss = ((Number) summary.get("test_loss")).doubleValue();
        assertTrue(testLoss > 0 && testLoss < Math.log(10), "test loss " + testLoss + " should beat chance (ln 10)");
        List<String> results = Files.readAllLines(folder.resolve("results.txt"));
        assertEquals(5, results.stream().filter(l -> l.matches("fixed \\d\\.\\d .*")).count(), results.toString());
        assertTrue(results.stream().anyMatch(l -> l.startsWith("STN schedule replayed")), results.toString());
        assertTrue(results.stream().anyMatch(l -> l.startsWith("fixed at the STN's final rates")), results.toString());
        Outcome summarise = hpo("summarise", folder.toString());
        assertEquals(0, summarise.status(), summarise.err());
        assertTrue(summarise.out().contains("best fixed dropout"), summarise.out());
        assertTrue(run.out().endsWith(summarise.out()), "the run ends by printing exactly what summarise prints");
    }
}
