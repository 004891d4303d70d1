package org.hypergrad4j.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.hypergrad4j.repro.cli.HpoMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code hpo repro} end to end: every reproduction listed, each run at the scale of the build ({@code smoke} in the
 * suite, {@code reduced} with {@code -Prepro}) into a complete folder whose checks of the paper's claim all hold,
 * and bad input refused in one line with a non-zero exit and no folder.
 */
class ReproCommandTest {
    private static final String SCALE = System.getProperty("hypergrad4j.reproScale", "smoke");

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome hpo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = HpoMain.run(args, new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8));
            return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    static List<String> names() {
        return Reproductions.all().stream().map(Reproduction::name).toList();
    }

    @Test
    void listShowsEveryReproduction() {
        Outcome o = hpo("repro", "list");
        assertEquals(0, o.status(), o.err());
        for (Reproduction r : Reproductions.all()) {
            assertTrue(o.out().contains(r.name()) && o.out().contains(r.title()), "repro list lacks " + r.name() + ":\n" + o.out());
        }
        assertEquals(Reproductions.all().size(), names().stream().distinct().count(), "names are unique");
    }

    /**
     * The smoke scale must finish in under a minute (the bound), so a run that takes longer fails here. The
     * bound is on the process's CPU time over the run, not on wall time: the suite shares its two cores with whatever
     * else the machine runs, which stretches wall time but not the work done (runs use one OpenMP thread).
     */
    @ParameterizedTest
    @MethodSource("names")
    void eachReproductionWritesACompleteFolderWhoseChecksHold(String name, @TempDir Path out) {
        // A hang fails the suite after ten minutes; a reduced-scale run (-Prepro) legitimately takes longer.
        assertTimeoutPreemptively(SCALE.equals("smoke") ? Duration.ofMinutes(10) : Duration.ofHours(3), () -> runAndCheck(name, out));
    }

    private static void runAndCheck(String name, Path out) throws IOException {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        int smokeSeeds = Reproductions.named(name).smokeSeeds();
        Outcome o = hpo("repro", "run", name, "--scale", SCALE, "--seeds", String.valueOf(SCALE.equals("smoke") ? smokeSeeds : Math.max(3, smokeSeeds)),
                "--out", out.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        System.out.printf("%s at scale %s: %.1f s wall, %.1f s CPU%n", name, SCALE, seconds, cpuSeconds);
        assertEquals(0, o.status(), o.err() + o.out());
        if (SCALE.equals("smoke")) {
            assertTrue(cpuSeconds < 60, name + " at smoke scale took " + cpuSeconds + " s of CPU time (" + seconds + " s wall), more than a minute");
        }
        Path folder;
        try (Stream<Path> s = Files.list(out)) {
            folder = s.filter(p -> p.getFileName().toString().startsWith("repro-" + name + "-")).findFirst().orElseThrow();
        }
        for (String file : List.of("config.json", "provenance.json", "metrics.csv", "summary.json", "REPORT.md")) {
            assertTrue(Files.size(folder.resolve(file)) > 0, file + " missing or empty in " + folder);
        }
        String report = Files.readString(folder.resolve("REPORT.md"), StandardCharsets.UTF_8);
        for (String section : List.of("## The paper's claim", "## Set-up here", "## Differences from the paper", "## Measured", "## Verdict",
                "## Command", "bin/hpo repro run " + name)) {
            assertTrue(report.contains(section), "REPORT.md lacks '" + section + "':\n" + report);
        }
        if (SCALE.equals("smoke")) {
            // The smoke scale checks the claim's direction: every check must hold.
            assertTrue(report.contains("Verdict: **reproduced**"), "a check of the claim fails at scale " + SCALE + ":\n" + report);
            assertFalse(report.contains("| **no** |"), report);
        } else {
            // The reduced scale must give the verdict of the committed report (docs/reproductions/NAME.md).
            String committed = Files.readString(Path.of("../docs/reproductions/" + name + ".md"), StandardCharsets.UTF_8);
            assertEquals(verdictLine(committed), verdictLine(report), "the verdict differs from the committed report's");
        }
        assertTrue(Files.readAllLines(folder.resolve("metrics.csv")).size() >= 2, "metrics.csv has no rows");
        // Every figure the report links exists and is a PNG.
        for (String line : report.split("\n")) {
            if (line.startsWith("![")) {
                String file = line.substring(line.indexOf("](") + 2, line.length() - 1);
                byte[] head = Files.readAllBytes(folder.resolve(file));
                assertTrue(head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', file + " is not a PNG");
            }
        }
    }

    /** CPU time of this whole process (all its threads, JIT and GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String verdictLine(String report) {
        return report.lines().filter(l -> l.startsWith("Verdict: ")).findFirst().orElse("(no verdict)");
    }

    @Test
    void badInputIsRefusedInOneLineWithoutAFolder(@TempDir Path out) throws IOException {
        String[][] cases = {
            {"repro", "run", "no-such-paper", "--out", out.toString()},
            {"repro", "run", names().get(0), "--scale", "huge", "--out", out.toString()},
            {"repro", "run", names().get(0), "--seeds", "0", "--out", out.toString()},
            {"repro", "run", names().get(0), "--seeds", "abc", "--out", out.toString()},
            {"repro", "run", names().get(0), "--seed", String.valueOf(Long.MAX_VALUE), "--seeds", "2", "--out", out.toString()},
            {"repro", "run", "stn-dropout", "--scale", "smoke", "--data-dir", out.resolve("no-fashion-mnist").toString(), "--out", out.toString()},
        };
        String[] expected = {"Unknown reproduction 'no-such-paper'", "Unknown scale 'huge'", "--seeds must lie in [1, 100], got 0",
            "'abc' is not an int", "overflows a 64-bit seed", "The Fashion-MNIST directory"};
        for (int i = 0; i < cases.length; i++) {
            Outcome o = hpo(cases[i]);
            assertNotEquals(0, o.status(), String.join(" ", cases[i]));
            assertTrue(o.err().contains(expected[i]), String.join(" ", cases[i]) + " gave: " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count(), "no folder is made for bad input");
        }
    }

    @Test
    void indexListsReportsWithTheirVerdictsAndCommands(@TempDir Path docs) throws IOException {
        Path folder = Files.createDirectory(docs.resolve("reports"));
        Files.writeString(folder.resolve("a.md"), "# Paper A, experiment 1\n\nVerdict: **reproduced** (2 of 2 checks hold).\n\n## Command\n\n```\n"
                + "bin/hpo repro run a --scale reduced --seeds 3\n```\n");
        Files.writeString(folder.resolve("b.md"), "# Paper B\n\nVerdict: **partly reproduced** (1 of 2 checks hold).\n");
        Path page = docs.resolve("REPRODUCTIONS.md");
        Outcome o = hpo("repro", "index", folder.toString(), "--page", page.toString());
        assertEquals(0, o.status(), o.err());
        String index = Files.readString(folder.resolve("README.md"));
        assertTrue(index.contains("| [Paper A, experiment 1](a.md) | **reproduced** (2 of 2 checks hold). | `bin/hpo repro run a --scale reduced --seeds 3` |"),
                index);
        assertTrue(index.contains("| [Paper B](b.md) | **partly reproduced** (1 of 2 checks hold). |  |"), index);
        // The page links the same reports relative to its own folder.
        String pageText = Files.readString(page);
        assertTrue(pageText.contains("| [Paper A, experiment 1](reports/a.md) | **reproduced**"), pageText);
        assertTrue(pageText.contains("| [Paper B](reports/b.md) | **partly reproduced**"), pageText);
        assertNotEquals(0, hpo("repro", "index", folder.resolve("missing").toString()).status());
    }
}
