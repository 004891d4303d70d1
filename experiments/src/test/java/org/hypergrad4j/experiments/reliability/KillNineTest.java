package org.hypergrad4j.experiments.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hypergrad4j.experiments.cli.Main;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code kill -9} ({@link Process#destroyForcibly()}, SIGKILL on Linux) of an {@code hpo run} at random moments,
 * then {@code hpo resume}: the run ends with every hyper-step once and the numbers of an uninterrupted run. Three
 * trials in the suite; {@code -Preliability} runs 20 (system property {@code hypergrad4j.killTrials}).
 */
class KillNineTest {
    private static final List<String> RUN = List.of("run", "weight-decay", "--hyper-steps", "8", "--inner-steps", "40", "--seed", "4");

    private static List<String> run(Path out) {
        List<String> c = new ArrayList<>(RUN);
        c.add("--out");
        c.add(out.toString());
        return c;
    }

    @Test
    void killedAtRandomMomentsTheRunResumesWithNothingLost(@TempDir Path dir) throws Exception {
        int trials = Integer.getInteger("hypergrad4j.killTrials", 3);
        long start = System.nanoTime();
        assertEquals(0, ChildProcesses.hpo(dir.resolve("reference.log"), List.of(), run(dir.resolve("reference")).toArray(String[]::new)));
        long referenceMillis = (System.nanoTime() - start) / 1_000_000;
        Path reference = ChildProcesses.runs(dir.resolve("reference")).get(0);
        SplittableRandom random = new SplittableRandom(20261203);
        int killed = 0;
        for (int t = 0; t < trials; t++) {
            Path out = dir.resolve("trial-" + t);
            Process p = ChildProcesses.start(dir.resolve("trial-" + t + ".log"), List.of(), Main.class.getName(), run(out));
            // Uniform over the run's wall time, JVM start included.
            Thread.sleep(random.nextLong(referenceMillis));
            if (p.isAlive()) {
                p.destroyForcibly();
                killed++;
            }
            ChildProcesses.await(p);
            List<Path> folders = ChildProcesses.runs(out);
            if (folders.isEmpty() || !Files.exists(folders.get(0).resolve(RunDirectory.CONFIG))) {
                continue; // killed before the run folder held its configuration: nothing was computed
            }
            Path folder = folders.get(0);
            if (!Files.exists(folder.resolve(RunDirectory.SUMMARY))) {
                int status = ChildProcesses.hpo(dir.resolve("trial-" + t + "-resume.log"), List.of(), "resume", folder.toString());
                assertEquals(0, status, "resume after kill " + t + ": " + Files.readString(dir.resolve("trial-" + t + "-resume.log")));
            }
            ChildProcesses.assertSameFinishedRun(reference, folder, "trial " + t);
        }
        assertTrue(killed > 0 || trials == 0, "at least one trial was killed while running");
        System.out.printf("kill -9: %d trials, %d killed while running, all resumed with nothing lost%n", trials, killed);
    }
}
