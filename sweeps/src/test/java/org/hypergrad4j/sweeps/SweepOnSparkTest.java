package org.hypergrad4j.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps of tiny weight-decay runs (iris, two hyper-steps) on Spark in local mode: the same numbers on one and two
 * cores, a resumed sweep that runs only its unfinished task, and retries and failures that keep the other tasks'
 * results.
 */
class SweepOnSparkTest {
    private static final String TINY = """
            name: tiny
            experiment: weight-decay
            base: {dataset: iris, hyper-steps: 2, inner-steps: 5, iterations: 2}
            """;

    @TempDir
    Path dir;

    /** The runs each task of the current test started, by their arguments (tasks run in this JVM in local mode). */
    static final List<List<String>> STARTED = Collections.synchronizedList(new ArrayList<>());

    private static Sweep.Outcome sweep(SweepSpec spec, String master, Path out, TaskRunner runner, ByteArrayOutputStream console) {
        return Sweep.run(spec, new Sweep.Options(master, out, 2, runner, new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    /** The command line, counting its runs. */
    private static final TaskRunner COUNTING = (args, out, err) -> {
        STARTED.add(List.copyOf(args));
        return TaskRunner.COMMAND_LINE.run(args, out, err);
    };

    /** The numbers of a task's summary that depend on the setting and seed (wall seconds left out). */
    private static Map<String, Double> numbers(TaskResult r) {
        Map<String, Double> m = new java.util.TreeMap<>(r.metrics());
        m.remove("seconds");
        return m;
    }

    @Test
    void oneAndTwoCoresGiveTheSameNumbersAndARestartRunsOnlyTheUnfinishedTask() throws Exception {
        SweepSpec spec = SweepSpec.parse(TINY + "grid: {scope: [global, per-weight]}\nseeds: 2\n", "tiny");
        Sweep.Outcome one = sweep(spec, "local[1]", dir.resolve("one"), TaskRunner.COMMAND_LINE, new ByteArrayOutputStream());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Sweep.Outcome two = sweep(spec, "local[2]", dir.resolve("two"), TaskRunner.COMMAND_LINE, console);
        assertEquals(4, one.results().size());
        for (int i = 0; i < 4; i++) {
            TaskResult a = one.results().get(i);
            TaskResult b = two.results().get(i);
            assertEquals(TaskResult.Status.FINISHED, a.status(), a.message());
            assertEquals(TaskResult.Status.FINISHED, b.status(), b.message());
            assertEquals(a.task().toString(), b.task().toString());
            assertTrue(numbers(a).containsKey("test_accuracy") && numbers(a).containsKey("val_loss"), numbers(a).toString());
            assertEquals(numbers(a), numbers(b), "task " + a.task());
        }
        // Seeds differ, so the numbers of a setting's two seeds differ (the comparison above is not vacuous).
        assertFalse(numbers(one.results().get(0)).equals(numbers(one.results().get(1))));
        assertEquals(Files.readString(dir.resolve("one/table.csv")), Files.readString(dir.resolve("two/table.csv")));
        String progress = console.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("sweep: 4/4 done, 0 running, 0 failed attempts"), progress);
        assertTrue(Files.size(dir.resolve("two/test-accuracy.png")) > 1000 && Files.size(dir.resolve("two/val-loss.png")) > 1000);

        // A crash while writing task 3 (per-weight, seed 0): its run folder lost its summary; it is the only task run again.
        TaskResult third = two.results().get(2);
        Path runFolder = Path.of(third.runFolder());
        Files.delete(runFolder.resolve(RunDirectory.SUMMARY));
        STARTED.clear();
        Sweep.Outcome resumed = sweep(spec, "local[2]", dir.resolve("two"), COUNTING, new ByteArrayOutputStream());
        assertEquals(1, STARTED.size(), STARTED.toString());
        assertTrue(STARTED.get(0).containsAll(List.of("--scope", "per-weight", "--seed", "0")), STARTED.toString());
        assertEquals(List.of(TaskResult.Status.REUSED, TaskResult.Status.REUSED, TaskResult.Status.FINISHED, TaskResult.Status.REUSED),
                resumed.results().stream().map(TaskResult::status).toList());
        for (int i = 0; i < 4; i++) {
            assertEquals(numbers(two.results().get(i)), numbers(resumed.results().get(i)), "task " + i);
        }
        // The half-written folder was removed, not added to: the task folder holds one run folder again.
        try (Stream<Path> runs = Files.list(Path.of(third.task().folder()))) {
            assertEquals(1, runs.filter(Files::isDirectory).count());
        }
        // A third start finds everything finished and starts no task at all.
        STARTED.clear();
        Sweep.Outcome again = sweep(spec, "local[2]", dir.resolve("two"), COUNTING, new ByteArrayOutputStream());
        assertEquals(0, STARTED.size());
        assertTrue(again.results().stream().allMatch(r -> r.status() == TaskResult.Status.REUSED));
    }

    /** Fails its first attempt at {@code scope=per-weight} (a marker file remembers it), every attempt at {@code per-layer}. */
    record Flaky(String markers) implements TaskRunner {
        @Override
        public int run(List<String> args, PrintWriter out, PrintWriter err) {
            STARTED.add(List.copyOf(args));
            try {
                if (args.contains("per-weight") && !Files.exists(Path.of(markers, "per-weight-failed"))) {
                    Files.createFile(Path.of(markers, "per-weight-failed"));
                    throw new IllegalStateException("injected failure of the first attempt");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (args.contains("per-layer")) {
                throw new IllegalStateException("injected failure of every attempt");
            }
            return TaskRunner.COMMAND_LINE.run(args, out, err);
        }
    }

    @Test
    void aFailedAttemptIsRetriedAndAPermanentFailureIsReportedBesideTheOthersResults() throws Exception {
        SweepSpec spec = SweepSpec.parse(TINY + "settings: [{scope: global}, {scope: per-weight}, {scope: per-layer}, {solver: bogus}]\nseeds: 1\n", "tiny");
        Path markers = Files.createDirectories(dir.resolve("markers"));
        STARTED.clear();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Sweep.Outcome o = sweep(spec, "local[2]", dir.resolve("sweep"), new Flaky(markers.toString()), console);
        Map<String, TaskResult> byLabel = new java.util.HashMap<>();
        o.results().forEach(r -> byLabel.put(r.task().setting().label(), r));

        TaskResult global = byLabel.get("scope=global");
        assertEquals(TaskResult.Status.FINISHED, global.status());
        assertEquals(1, global.attempts());
        TaskResult retried = byLabel.get("scope=per-weight");
        assertEquals(TaskResult.Status.FINISHED, retried.status(), retried.message());
        assertEquals(2, retried.attempts());
        assertNotNull(retried.metrics().get("test_accuracy"));
        TaskResult failed = byLabel.get("scope=per-layer");
        assertEquals(TaskResult.Status.FAILED, failed.status());
        assertEquals(2, failed.attempts());
        assertEquals("IllegalStateException: injected failure of every attempt", failed.message());
        // Bad input is not retried: no attempt could change it.
        TaskResult bad = byLabel.get("solver=bogus");
        assertEquals(TaskResult.Status.FAILED, bad.status());
        assertEquals(1, bad.attempts());
        assertTrue(bad.message().startsWith("bad input: ") && bad.message().contains("bogus"), bad.message());
        assertEquals(6, STARTED.size(), "1 + 2 + 2 + 1 attempts: " + STARTED);

        assertEquals(2, o.failures().size());
        SweepTable.Row row = o.table().rows().get(2);
        assertEquals(0, row.finished());
        assertEquals(1, row.failed());
        assertEquals(1, o.table().rows().get(1).finished());
        String md = Files.readString(dir.resolve("sweep/table.md"));
        assertTrue(md.contains("| scope=per-layer | weight-decay | 0 | 1 | – | – | – |"), md);
        assertTrue(Files.readString(dir.resolve("sweep/tasks.csv")).contains("scope=per-layer,0,FAILED,2,"));
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("FAILED scope=per-layer seed 0 after 2 attempts: IllegalStateException: injected failure of every attempt"), text);
        assertTrue(text.contains("2 failed attempts"), text);
        assertTrue(text.contains("sweep: attempt failed, will retry: scope=per-weight seed 0, attempt 1 of 2: IllegalStateException: injected failure of the first attempt"), text);

        // The finished tasks survive a restart: only the two failed ones run again.
        STARTED.clear();
        sweep(spec, "local[2]", dir.resolve("sweep"), new Flaky(markers.toString()), new ByteArrayOutputStream());
        assertEquals(3, STARTED.size(), "per-layer twice, bogus once: " + STARTED);
        assertTrue(STARTED.stream().noneMatch(a -> a.contains("global") || a.contains("per-weight")), STARTED.toString());
    }

    @Test
    void aHadoopFileSystemUrlHoldsThePublishedTaskFoldersAndTheTable() throws Exception {
        SweepSpec spec = SweepSpec.parse(TINY + "seeds: 2\n", "tiny");
        Path shared = dir.resolve("shared");
        String url = shared.toUri().toString();
        assertTrue(url.startsWith("file:/"), url);
        STARTED.clear();
        Sweep.Outcome o = Sweep.run(spec, new Sweep.Options("local[2]", url, 2, COUNTING, new PrintStream(new ByteArrayOutputStream())));
        assertEquals(2, STARTED.size());
        for (TaskResult r : o.results()) {
            assertEquals(TaskResult.Status.FINISHED, r.status(), r.message());
            assertTrue(r.runFolder().startsWith(url), r.runFolder());
            // Run in a local scratch folder, then published: the run folder with its summary is on the shared file system.
            Path run = Path.of(java.net.URI.create(r.runFolder()));
            assertTrue(Files.isRegularFile(run.resolve(RunDirectory.SUMMARY)), run.toString());
            assertTrue(Files.isRegularFile(run.getParent().resolve(TaskExecution.LOG)));
        }
        assertTrue(Files.readString(shared.resolve("table.csv")).contains(",2,0,"), "two seeds finished, none failed");
        try (Stream<Path> all = Files.walk(shared)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".attempt-")), "no staging folder is left");
        }
        // A published folder that lost its summary is redone; the other is read back through the file system.
        Files.delete(Path.of(java.net.URI.create(o.results().get(1).runFolder())).resolve(RunDirectory.SUMMARY));
        STARTED.clear();
        Sweep.Outcome resumed = Sweep.run(spec, new Sweep.Options("local[1]", url, 2, COUNTING, new PrintStream(new ByteArrayOutputStream())));
        assertEquals(1, STARTED.size());
        assertTrue(STARTED.get(0).containsAll(List.of("--seed", "1")), STARTED.toString());
        assertEquals(List.of(TaskResult.Status.REUSED, TaskResult.Status.FINISHED), resumed.results().stream().map(TaskResult::status).toList());
        for (int i = 0; i < 2; i++) {
            assertEquals(numbers(o.results().get(i)), numbers(resumed.results().get(i)));
        }
    }

    @Test
    void localMastersGetTheirAttemptsAndOthersAreLeftAlone() {
        assertEquals("local[*,3]", Sweep.masterWithAttempts("local[*]", 3));
        assertEquals("local[2,2]", Sweep.masterWithAttempts("local[2]", 2));
        assertEquals("local[1,4]", Sweep.masterWithAttempts("local", 4));
        assertEquals("local[2,5]", Sweep.masterWithAttempts("local[2,5]", 2));
        assertEquals("spark://h:7077", Sweep.masterWithAttempts("spark://h:7077", 2));
    }
}
