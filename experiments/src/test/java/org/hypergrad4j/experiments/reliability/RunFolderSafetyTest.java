package org.hypergrad4j.experiments.reliability;

import static org.hypergrad4j.experiments.cli.HpoCli.assertOneLine;
import static org.hypergrad4j.experiments.cli.HpoCli.hpo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.experiments.cli.HpoCli.Outcome;
import org.hypergrad4j.experiments.cli.Main;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent runs, divergence, damaged checkpoints and bad input, against the command line: every fault of the
 * crash-safety issue, each with one line and a non-zero exit, no folder left behind by a refused input, and no
 * finished work lost.
 */
class RunFolderSafetyTest {
    private static final List<String> SHORT = List.of("run", "weight-decay", "--dataset", "iris", "--scope", "per-weight", "--hyper-steps", "3",
            "--inner-steps", "5", "--seed", "2");

    private static String[] run(Path out, String... more) {
        List<String> c = new ArrayList<>(SHORT);
        c.addAll(List.of(more));
        c.add("--out");
        c.add(out.toString());
        return c.toArray(String[]::new);
    }

    @Test
    void twoIdenticalRunsStartedTogetherBothCompleteInTwoFolders(@TempDir Path dir) {
        Path out = dir.resolve("runs");
        Process a = ChildProcesses.start(dir.resolve("a.log"), List.of(), Main.class.getName(), List.of(run(out)));
        Process b = ChildProcesses.start(dir.resolve("b.log"), List.of(), Main.class.getName(), List.of(run(out)));
        assertEquals(0, ChildProcesses.await(a));
        assertEquals(0, ChildProcesses.await(b));
        List<Path> runs = ChildProcesses.runs(out);
        assertEquals(2, runs.size(), runs.toString());
        ChildProcesses.assertSameFinishedRun(runs.get(0), runs.get(1), "the second of two simultaneous runs");
    }

    @Test
    void aFolderInUseIsRefusedNamingItsHolder(@TempDir Path dir) throws IOException {
        assertEquals(0, hpo(run(dir, "--stop-after", "1")).status());
        Path folder = ChildProcesses.runs(dir).get(0);
        // A second process resuming a folder this one holds is refused; this one then resumes it.
        try (RunLock held = RunLock.acquire(folder)) {
            Path log = dir.resolve("second.log");
            assertEquals(1, ChildProcesses.hpo(log, List.of(), "resume", folder.toString()));
            String err = Files.readString(log);
            assertTrue(err.contains("is in use by process " + ProcessHandle.current().pid()), err);
            assertOneLine(hpo("resume", folder.toString()), "is in use by process");
        }
        assertEquals(0, hpo("resume", folder.toString()).status());
    }

    @Test
    void twoResumesOfOneFolderStartedTogetherOneIsRefused(@TempDir Path dir) {
        // Long enough (digits, 40 hyper-steps) that the second child starts while the first holds the lock.
        String[] args = {"run", "weight-decay", "--hyper-steps", "40", "--inner-steps", "50", "--stop-after", "1", "--out", dir.toString()};
        assertEquals(0, hpo(args).status());
        Path folder = ChildProcesses.runs(dir).get(0);
        Process a = ChildProcesses.start(dir.resolve("a.log"), List.of(), Main.class.getName(), List.of("resume", folder.toString()));
        Process b = ChildProcesses.start(dir.resolve("b.log"), List.of(), Main.class.getName(), List.of("resume", folder.toString()));
        int sa = ChildProcesses.await(a);
        int sb = ChildProcesses.await(b);
        assertEquals(1, Math.min(sa, sb) == 0 && Math.max(sa, sb) == 1 ? 1 : 0, "one completes, one is refused: " + sa + ", " + sb);
        assertTrue(RunDirectory.open(folder).summary().isPresent());
        assertEquals(40, RunDirectory.open(folder).metrics().rowCount());
    }

    @Test
    void aDivergingRunWritesItsSummaryAndExitsWithTheDivergedStatus(@TempDir Path dir) throws IOException {
        Outcome o = hpo(run(dir, "--inner-lr", "1e6"));
        assertEquals(Main.DIVERGED, o.status(), o.err());
        Path folder = ChildProcesses.runs(dir).get(0);
        Map<String, Object> summary = RunDirectory.open(folder).summary().orElseThrow();
        assertEquals("DIVERGED", summary.get("status"));
        assertEquals(0, ((Number) summary.get("hyper_steps")).intValue());
        assertFalse(Files.exists(folder.resolve("losses.png")), "no hyper-step ran, so there is nothing to plot");
        Outcome text = hpo("summarise", folder.toString());
        assertFalse(text.out().contains("losses.png"), "summarise lists the files that exist: " + text.out());
        assertTrue(o.out().contains("Restored the state after hyper-step 0"), o.out());
    }

    @Test
    void aRunThatBlowsUpAfterSomeHyperStepsKeepsThemAndPlotsThem(@TempDir Path dir) throws IOException {
        // An MLP with too large a learning rate: the training loss passes 10⁴ × its best at hyper-step 7.
        Outcome o = hpo("run", "weight-decay", "--hidden", "64,64", "--inner-lr", "1.0", "--hyper-steps", "15", "--inner-steps", "20",
                "--out", dir.toString());
        assertEquals(Main.DIVERGED, o.status(), o.err());
        assertTrue(o.out().contains("A blown-up loss at hyper-step 7") && o.out().contains("Restored the state after hyper-step 6"), o.out());
        Path folder = ChildProcesses.runs(dir).get(0);
        var record = RunDirectory.open(folder);
        assertEquals(6, record.metrics().rowCount(), "the six good hyper-steps are logged once each");
        assertEquals("DIVERGED", record.summary().orElseThrow().get("status"));
        assertEquals(6, ((Number) record.summary().orElseThrow().get("hyper_steps")).intValue());
        for (String plot : List.of("losses.png", "hyperparameters.png")) {
            assertTrue(Files.isRegularFile(folder.resolve(plot)), "plot of the hyper-steps that ran: " + plot);
        }
        double lastKept = record.metrics().column("train_loss")[5];
        assertTrue(((Number) record.summary().orElseThrow().get("train_loss")).doubleValue() < 1e3 && lastKept < 1e3,
                "the restored state is not blown up: " + lastKept);
    }

    @Test
    void aDamagedNewestCheckpointIsNamedAndThePreviousOneResumedWithNothingLost(@TempDir Path dir) throws IOException {
        assertEquals(0, hpo(run(dir.resolve("reference"))).status());
        assertEquals(0, hpo(run(dir.resolve("damaged"), "--stop-after", "2")).status());
        Path folder = ChildProcesses.runs(dir.resolve("damaged")).get(0);
        Path newest = folder.resolve("checkpoint/step-0000000002.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Outcome resumed = hpo("resume", folder.toString());
        assertEquals(0, resumed.status(), resumed.err());
        System.out.println(resumed.out().lines().filter(l -> l.startsWith("Skipped")).findFirst().orElse(""));
        assertTrue(resumed.out().contains("Skipped a damaged checkpoint: The checkpoint file " + newest + " is truncated"), resumed.out());
        assertTrue(resumed.out().contains("Resuming " + folder.getFileName() + " after hyper-step 1"), resumed.out());
        ChildProcesses.assertSameFinishedRun(ChildProcesses.runs(dir.resolve("reference")).get(0), folder, "resumed past a damaged checkpoint");
    }

    @Test
    void damagedCheckpointFilesAreNamedInOneLine(@TempDir Path dir) throws IOException {
        assertEquals(0, hpo(run(dir, "--stop-after", "1")).status());
        Path folder = ChildProcesses.runs(dir).get(0);
        Path file = folder.resolve("checkpoint/step-0000000001.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        String none = " No intact checkpoint is left in " + file.getParent() + ".";
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        assertOneLine(hpo("resume", folder.toString()), "The checkpoint file " + file + " does not match its CRC-32 (altered or damaged)." + none);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertOneLine(hpo("resume", folder.toString()), "The checkpoint file " + file + " is truncated or its trailer damaged (" + (bytes.length - 1)
                + " bytes)." + none);
        Files.write(file, new byte[0]);
        assertOneLine(hpo("resume", folder.toString()), "The checkpoint file " + file + " is truncated or its trailer damaged (0 bytes)." + none);
        // A checkpoint folder of the older format (step-<unit>/ with a commit marker) is refused, not passed over.
        Files.delete(file);
        Files.writeString(Files.createDirectories(file.resolveSibling("step-0000000001")).resolve("COMMIT"), "hypergrad4j checkpoint v2\n");
        assertOneLine(hpo("resume", folder.toString()), "The checkpoint at " + file.getParent() + " was written by an older hypergrad4j");
    }

    @Test
    void aResumeRefusesAnyChangeToTheRecordedConfigurationNamingTheField(@TempDir Path dir) throws IOException {
        assertEquals(0, hpo(run(dir, "--stop-after", "1")).status());
        Path folder = ChildProcesses.runs(dir).get(0);
        Path config = folder.resolve(RunDirectory.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"outerLearningRate\": 0.1", "\"outerLearningRate\": 100.0"));
        assertOneLine(hpo("resume", folder.toString()), "outerLearningRate was 0.1, now 100.0");
    }

    @Test
    void resumingAnotherExperimentsFolderIsNamedAsSuch(@TempDir Path dir) {
        assertEquals(0, hpo("run", "decay-search", "--trials", "2", "--steps-per-trial", "10", "--out", dir.toString()).status());
        assertOneLine(hpo("resume", ChildProcesses.runs(dir).get(0).toString()), "is not a weight-decay run");
    }

    @Test
    void badInputIsRefusedInOneLineBeforeAnyFolderIsMade(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("runs");
        String o = out.toString();
        String[][] cases = {
            {"--trials does not apply to weight-decay (it is an option of decay-search)", "run", "weight-decay", "--trials", "5", "--out", o},
            {"--search does not apply to weight-decay", "run", "weight-decay", "--search", "random", "--out", o},
            {"--scope does not apply to stn-dropout", "run", "stn-dropout", "--scope", "global", "--out", o},
            {"--stop-after does not apply to decay-search", "run", "decay-search", "--stop-after", "3", "--out", o},
            {"--iterations must lie in [1, 100000] (this solver needs at least one iteration), got 0", "run", "weight-decay", "--iterations", "0",
                "--out", o},
            {"--iterations must lie in [0, 100000]", "run", "weight-decay", "--solver", "neumann", "--iterations", "2147483647", "--out", o},
            {"--iterations does not apply to --solver identity", "run", "weight-decay", "--solver", "identity", "--iterations", "5", "--out", o},
            {"overflows a 64-bit seed", "run", "weight-decay", "--seed", Long.toString(Long.MAX_VALUE), "--seeds", "2", "--out", o},
            {"--out must name a folder", "run", "weight-decay", "--out", ""},
            {"--epochs must lie in [2, 1000] (the first epoch is the warm-up", "run", "stn-dropout", "--epochs", "1", "--out", o},
            {"--examples applies to --dataset fashion-mnist only", "run", "weight-decay", "--examples", "100", "--out", o},
            {"--hyper-steps must lie in [1, 1000000]", "run", "weight-decay", "--hyper-steps", "0", "--out", o},
            {"exceeds the", "run", "weight-decay", "--dataset", "iris", "--batch-size", "1000", "--out", o},
            {"exceeds the", "run", "decay-search", "--dataset", "iris", "--batch-size", "1000", "--out", o},
            {"Unknown activation", "run", "weight-decay", "--activation", "gelu", "--out", o},
            {"Unknown solver", "run", "weight-decay", "--solver", "lbfgs", "--out", o},
        };
        for (String[] c : cases) {
            assertOneLine(hpo(java.util.Arrays.copyOfRange(c, 1, c.length)), c[0]);
            assertTrue(ChildProcesses.runs(out).isEmpty(), "a refused input left a run folder: " + String.join(" ", c));
        }
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertOneLine(hpo("run", "weight-decay", "--dataset", "iris", "--out", file.resolve("x").toString()), "Cannot use the output folder");
        assertOneLine(hpo("run", "weight-decay", "--dataset", "iris", "--out", "/proc/hypergrad4j-test"), "Cannot use the output folder /proc/hypergrad4j-test: ");
    }
}
