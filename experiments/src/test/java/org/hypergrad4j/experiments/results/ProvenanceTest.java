package org.hypergrad4j.experiments.results;

import static org.hypergrad4j.experiments.results.MetricsWriterTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

    @TempDir
    Path dir;

    static Provenance sample() {
        return new Provenance(42, "0123456789abcdef0123456789abcdef01234567", "CpuBackend", "FLOAT", "1.0.0-M2.1",
                "17.0.15", "Linux 6.1", "amd64", 2, 3L << 30, "2024-05-01T12:34:56Z");
    }

    @Test
    void captureRecordsTheEnvironment() {
        Instant start = Instant.parse("2024-05-01T12:34:56.789Z");
        Path here = Path.of("").toAbsolutePath();
        Provenance p = Provenance.capture(7, start, here);
        assertEquals(7, p.seed());
        assertEquals("2024-05-01T12:34:56.789Z", p.startTime());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertEquals(System.getProperty("os.arch"), p.arch());
        assertTrue(p.os().startsWith(System.getProperty("os.name")), p.os());
        assertEquals(Runtime.getRuntime().availableProcessors(), p.cores());
        assertEquals(Runtime.getRuntime().maxMemory(), p.maxHeapBytes());
        // The tests run on the CPU profile with ND4J's default float data type; ND4J's jar declares no version.
        assertEquals("CpuBackend", p.backend());
        assertEquals("FLOAT", p.dataType());
        assertEquals(Provenance.ND4J_BUILD_VERSION, p.nd4jVersion());
        // Someone may commit while the test runs: read HEAD before and after, and retry until it held still.
        for (int attempt = 0; ; attempt++) {
            String before = headFromGitFiles(here).orElse(Provenance.UNKNOWN);
            String commit = Provenance.gitCommit(here);
            String after = headFromGitFiles(here).orElse(Provenance.UNKNOWN);
            if (before.equals(after) || attempt == 4) {
                assertTrue(commit.equals(before) || commit.equals(after),
                        "git gave " + commit + ", the repository's files " + before + " then " + after);
                break;
            }
        }
        assertTrue(p.gitCommit().equals(Provenance.UNKNOWN) || p.gitCommit().matches("[0-9a-f]{40}|[0-9a-f]{64}"),
                p.gitCommit());
    }

    @Test
    void aFolderOutsideAnyRepositoryHasAnUnknownCommit() {
        // @TempDir lies under the system temporary folder, outside this project's working tree.
        Optional<String> expected = headFromGitFiles(dir);
        assertEquals(expected.orElse(Provenance.UNKNOWN), Provenance.gitCommit(dir));
        assertEquals(Provenance.UNKNOWN, Provenance.gitCommit(dir.resolve("missing")));
        assertEquals(Provenance.UNKNOWN, Provenance.gitCommit(null));
    }

    @Test
    void componentsAreValidated() {
        Provenance s = sample();
        assertMessage(() -> new Provenance(1, "abc", s.backend(), s.dataType(), s.nd4jVersion(), s.javaVersion(), s.os(),
                s.arch(), 1, 1, s.startTime()), "40 or 64 lower-case hexadecimal digits or \"unknown\", but was \"abc\"");
        assertMessage(() -> new Provenance(1, "unknown", " ", s.dataType(), s.nd4jVersion(), s.javaVersion(), s.os(),
                s.arch(), 1, 1, s.startTime()), "backend must be a non-blank string");
        assertMessage(() -> new Provenance(1, "unknown", s.backend(), s.dataType(), s.nd4jVersion(), s.javaVersion(),
                s.os(), s.arch(), 0, 1, s.startTime()), "cores must be at least 1, but was 0");
        assertMessage(() -> new Provenance(1, "unknown", s.backend(), s.dataType(), s.nd4jVersion(), s.javaVersion(),
                s.os(), s.arch(), 1, 0, s.startTime()), "at least 1 byte, but was 0");
        assertMessage(() -> new Provenance(1, "unknown", s.backend(), s.dataType(), s.nd4jVersion(), s.javaVersion(),
                s.os(), s.arch(), 1, 1, "yesterday"), "ISO-8601 UTC instant such as 2024-05-01T12:00:00Z, but was \"yesterday\"");
        assertMessage(() -> new Provenance(1, null, s.backend(), s.dataType(), s.nd4jVersion(), s.javaVersion(), s.os(),
                s.arch(), 1, 1, s.startTime()), "gitCommit must be a non-blank string, but was null");
        assertMessage(() -> Provenance.capture(1, null, Path.of(".")), "start=null");
    }

    /**
     * Resolves HEAD by reading the repository's files (HEAD, then a loose ref or packed-refs), independently of the
     * {@code git} command the implementation runs.
     */
    static Optional<String> headFromGitFiles(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path git = p.resolve(".git");
            if (Files.isRegularFile(git)) {
                // A linked worktree or submodule: its refs live elsewhere; this reader does not follow them.
                Assumptions.abort("The checkout at " + p + " is a linked worktree or submodule.");
            }
            if (Files.isDirectory(git)) {
                try {
                    String head = Files.readString(git.resolve("HEAD")).trim();
                    if (!head.startsWith("ref: ")) {
                        return Optional.of(head);
                    }
                    String ref = head.substring(5);
                    Path loose = git.resolve(ref);
                    if (Files.exists(loose)) {
                        return Optional.of(Files.readString(loose).trim());
                    }
                    Path packed = git.resolve("packed-refs");
                    if (Files.exists(packed)) {
                        for (String line : Files.readAllLines(packed)) {
                            if (line.endsWith(" " + ref)) {
                                return Optional.of(line.substring(0, line.indexOf(' ')));
                            }
                        }
                    }
                    return Optional.empty(); // an unborn branch: git rev-parse HEAD fails too
                } catch (IOException e) {
                    throw new AssertionError("Could not read " + git, e);
                }
            }
        }
        return Optional.empty();
    }
}
