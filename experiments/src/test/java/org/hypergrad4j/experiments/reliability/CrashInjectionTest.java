package org.hypergrad4j.experiments.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM halted ({@link Runtime#halt}, as abrupt as {@code kill -9}) at each file operation of a run, and at
 * each file operation of a resume, in turn — every one of them; after each, {@code hpo resume} finishes the run
 * with every hyper-step exactly once and the numbers of an uninterrupted run. Trials run two at a time, each
 * child resuming the previous trial's folder before it halts in the next one's.
 */
class CrashInjectionTest {
    private static final List<String> RUN = List.of("run", "weight-decay", "--dataset", "iris", "--scope", "per-weight", "--hyper-steps", "3",
            "--inner-steps", "5", "--seed", "1");

    private static List<String> run(Path out, String... more) {
        List<String> c = new ArrayList<>(RUN);
        c.addAll(List.of(more));
        c.add("--out");
        c.add(out.toString());
        return c;
    }

    /** The labels of the fault points a command passes, from a traced child run. */
    private static List<String> trace(Path dir, String name, List<String> hpo) throws IOException {
        Path trace = dir.resolve(name + ".trace");
        int status = ChildProcesses.hpo(dir.resolve(name + ".log"), List.of("-D" + DurableFiles.TRACE_PROPERTY + "=" + trace), hpo.toArray(String[]::new));
        assertEquals(0, status, "traced run " + hpo);
        return Files.readAllLines(trace).stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    /**
     * Runs {@code trials} (each the halted command, by point number) in two chains of child JVMs: each child first
     * resumes the previous trial's folder of its chain, then runs its own trial armed to halt; a last child per
     * chain resumes the last trial.
     */
    private static void runChains(Path dir, int points, java.util.function.IntFunction<List<String>> haltedCommand,
                                  java.util.function.IntFunction<Path> folderOf) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> chains = new ArrayList<>();
        for (int chain = 0; chain < 2; chain++) {
            int first = chain + 1;
            chains.add(pool.submit(() -> {
                Integer previous = null;
                for (int k = first; k <= points + 2; k += 2) {
                    List<String> args = new ArrayList<>();
                    if (previous != null) {
                        Path folder = folderOf.apply(previous);
                        if (folder != null) {
                            args.addAll(List.of("go", "resume", folder.toString(), ";"));
                        }
                    }
                    if (k <= points) {
                        args.add("halt");
                        args.add(Integer.toString(k));
                        args.addAll(haltedCommand.apply(k));
                    }
                    if (!args.isEmpty()) {
                        ChildProcesses.await(ChildProcesses.start(dir.resolve("chain-" + first + ".log"), List.of(),
                                CrashHarness.class.getName(), args));
                    }
                    previous = k;
                }
                return null;
            }));
        }
        for (Future<?> f : chains) {
            f.get();
        }
        pool.shutdown();
    }

    @Test
    void haltedAtEachFileOperationOfARunOrAResumeTheRunResumesWithNothingLost(@TempDir Path dir) throws Exception {
        List<String> runPoints = trace(dir, "reference", run(dir.resolve("reference")));
        Path reference = ChildProcesses.runs(dir.resolve("reference")).get(0);
        assertTrue(runPoints.size() > 30, "a run passes every checkpoint, metrics and summary file operation: " + runPoints);

        // A run stopped after hyper-step 2, whose resume is halted in turn at each of its file operations.
        assertEquals(0, ChildProcesses.hpo(dir.resolve("template.log"), List.of(), run(dir.resolve("template"), "--stop-after", "2").toArray(String[]::new)));
        Path template = ChildProcesses.runs(dir.resolve("template")).get(0);
        Path traced = dir.resolve("resume-traced").resolve(template.getFileName());
        ChildProcesses.copy(template, traced);
        List<String> resumePoints = trace(dir, "resume", List.of("resume", traced.toString()));
        ChildProcesses.assertSameFinishedRun(reference, traced, "uninterrupted resume");

        for (int k = 1; k <= resumePoints.size(); k++) {
            ChildProcesses.copy(template, dir.resolve("resume-" + k).resolve(template.getFileName()));
        }
        int runTrials = runPoints.size();
        int total = runTrials + resumePoints.size();
        runChains(dir, total, k -> k <= runTrials ? run(dir.resolve("run-" + k))
                        : List.of("resume", dir.resolve("resume-" + (k - runTrials)).resolve(template.getFileName()).toString()),
                k -> k > total ? null : k <= runTrials ? ChildProcesses.runs(dir.resolve("run-" + k)).stream().findFirst().orElse(null)
                        : dir.resolve("resume-" + (k - runTrials)).resolve(template.getFileName()));

        int beforeConfig = runPoints.indexOf("rename .config.json.tmp to config.json") + 1;
        assertTrue(beforeConfig > 0, runPoints.toString());
        for (int k = 1; k <= runTrials; k++) {
            String what = "run halted at point " + k + " (" + runPoints.get(k - 1) + ")";
            List<Path> folders = ChildProcesses.runs(dir.resolve("run-" + k));
            assertEquals(1, folders.size(), what + ": one run folder");
            Path folder = folders.get(0);
            if (k <= beforeConfig) {
                // Halted before config.json existed: nothing was computed; resume refuses and says to start again.
                assertFalse(Files.exists(folder.resolve(RunDirectory.CONFIG)), what);
                continue;
            }
            ChildProcesses.assertSameFinishedRun(reference, folder, what);
        }
        System.out.printf("crash injection: %d run points (%d up to the rename of config.json), %d resume points, all checked%n",
                runTrials, beforeConfig, resumePoints.size());
        for (int k = 1; k <= resumePoints.size(); k++) {
            String what = "resume halted at point " + k + " (" + resumePoints.get(k - 1) + ")";
            ChildProcesses.assertSameFinishedRun(reference, dir.resolve("resume-" + k).resolve(template.getFileName()), what);
        }
    }
}
