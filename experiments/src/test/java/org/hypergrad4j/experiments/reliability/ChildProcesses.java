package org.hypergrad4j.experiments.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hypergrad4j.experiments.results.Metrics;
import org.hypergrad4j.experiments.results.RunDirectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Child JVMs on this test's class path, and the comparisons the crash tests make between run folders. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** A child JVM running {@code mainClass} with {@code args}; standard output and error go to {@code log}. */
    static Process start(Path log, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().put("OMP_NUM_THREADS", "1");
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code p} (at most 5 minutes) and returns its exit status. */
    static int await(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("a child process ran for more than 5 minutes");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs the {@code hpo} command line in a child and returns its exit status. */
    static int hpo(Path log, List<String> jvmOptions, String... args) {
        return await(start(log, jvmOptions, "org.hypergrad4j.experiments.cli.Main", List.of(args)));
    }

    /** The run folders under {@code root}. */
    static List<Path> runs(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a folder tree. */
    static void copy(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code run} is finished with every hyper-step once and the same numbers as {@code reference}
     * (every metrics column but the wall time, every summary entry but the wall time), and that no leftover of an
     * interrupted write remains.
     */
    static void assertSameFinishedRun(Path reference, Path run, String what) {
        Metrics a = Metrics.read(reference.resolve(RunDirectory.METRICS));
        Metrics b = Metrics.read(run.resolve(RunDirectory.METRICS));
        assertEquals(a.rowCount(), b.rowCount(), what + ": metrics rows");
        double[] steps = b.column("hyper_step");
        for (int i = 0; i < steps.length; i++) {
            assertEquals(i + 1, steps[i], 0.0, what + ": every hyper-step exactly once, in order");
        }
        for (String column : a.columns()) {
            if (!column.equals("seconds")) {
                double[] x = a.column(column);
                double[] y = b.column(column);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], 0.0, what + ": " + column + " at row " + i);
                }
            }
        }
        Map<String, Object> sa = summary(reference);
        Map<String, Object> sb = summary(run);
        sa.remove("seconds");
        sb.remove("seconds");
        assertEquals(sa, sb, what + ": summary");
        assertTrue(leftovers(run).isEmpty(), what + ": leftovers of interrupted writes " + leftovers(run));
    }

    private static Map<String, Object> summary(Path run) {
        return new LinkedHashMap<>(RunDirectory.open(run).summary().orElseThrow(() -> new AssertionError("no summary in " + run)));
    }

    /** Temporary files and folders of interrupted writes. */
    static List<Path> leftovers(Path run) {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-") || p.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
