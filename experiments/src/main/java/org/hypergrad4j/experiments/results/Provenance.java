package org.hypergrad4j.experiments.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where and with what a run was made: enough to tell two runs' environments apart and to re-run one.
 *
 * <p>Written to {@code provenance.json} by {@link RunDirectory#writeProvenance(Provenance)}; components appear
 * there in declaration order.
 *
 * @param seed         the run's master seed
 * @param gitCommit    the commit of the working tree ({@code git rev-parse HEAD}: 40 or 64 lower-case hex
 *                     digits), or {@value #UNKNOWN} when git or the repository is not available. Uncommitted
 *                     changes are not recorded
 * @param backend      the ND4J backend class's simple name, e.g. {@code CpuBackend}
 * @param dataType     ND4J's default data type, e.g. {@code FLOAT}
 * @param nd4jVersion  the ND4J version: the implementation version of ND4J's package if its jar declares one,
 *                     else {@value #ND4J_BUILD_VERSION}, the version this project is built against
 * @param javaVersion  the {@code java.version} system property
 * @param os           the {@code os.name} and {@code os.version} system properties, space separated
 * @param arch         the {@code os.arch} system property
 * @param cores        the processors available to the JVM, at least 1
 * @param maxHeapBytes the JVM's maximum heap ({@link Runtime#maxMemory()}), at least 1
 * @param startTime    the run's start as an ISO-8601 UTC instant, e.g. {@code 2024-05-01T12:00:00Z}
 */
public record Provenance(long seed, String gitCommit, String backend, String dataType, String nd4jVersion,
        String javaVersion, String os, String arch, int cores, long maxHeapBytes, String startTime) {

    /** The value of {@link #gitCommit()} when the commit could not be determined. */
    public static final String UNKNOWN = "unknown";

    /** The ND4J version this project is built against, recorded when ND4J's jar declares none. */
    public static final String ND4J_BUILD_VERSION = "1.0.0-M2.1";

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final long GIT_TIMEOUT_SECONDS = 10;

    /**
     * Validates the components.
     *
     * @param seed the run's master seed
     * @param gitCommit the commit of the working tree ({@code git rev-parse HEAD}: 40 or 64 lower-case hex
     *                  digits), or {@value #UNKNOWN} when git or the repository is not available. Uncommitted
     *                  changes are not recorded
     * @param backend the ND4J backend class's simple name, e.g. {@code CpuBackend}
     * @param dataType ND4J's default data type, e.g. {@code FLOAT}
     * @param nd4jVersion the ND4J version: the implementation version of ND4J's package if its jar declares one,
     *                    else {@value #ND4J_BUILD_VERSION}, the version this project is built against
     * @param javaVersion the {@code java.version} system property
     * @param os the {@code os.name} and {@code os.version} system properties, space separated
     * @param arch the {@code os.arch} system property
     * @param cores the processors available to the JVM, at least 1
     * @param maxHeapBytes the JVM's maximum heap ({@link Runtime#maxMemory()}), at least 1
     * @param startTime the run's start as an ISO-8601 UTC instant, e.g. {@code 2024-05-01T12:00:00Z}
     * @throws IllegalArgumentException if a string is null or blank, the commit is neither a hex object name
     *                                  nor {@value #UNKNOWN}, {@code cores < 1}, {@code maxHeapBytes < 1}, or the
     *                                  start time is not an ISO-8601 instant
     */
    public Provenance {
        requireText("backend", backend);
        requireText("dataType", dataType);
        requireText("nd4jVersion", nd4jVersion);
        requireText("javaVersion", javaVersion);
        requireText("os", os);
        requireText("arch", arch);
        requireText("gitCommit", gitCommit);
        if (!gitCommit.equals(UNKNOWN) && !COMMIT.matcher(gitCommit).matches()) {
            throw new IllegalArgumentException("The git commit must be 40 or 64 lower-case hexadecimal digits or \""
                    + UNKNOWN + "\", but was \"" + gitCommit + "\".");
        }
        if (cores < 1) {
            throw new IllegalArgumentException("The number of cores must be at least 1, but was " + cores + ".");
        }
        if (maxHeapBytes < 1) {
            throw new IllegalArgumentException("The maximum heap must be at least 1 byte, but was " + maxHeapBytes + ".");
        }
        requireText("startTime", startTime);
        try {
            Instant.parse(startTime);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("The start time must be an ISO-8601 UTC instant such as "
                    + "2024-05-01T12:00:00Z, but was \"" + startTime + "\".", e);
        }
    }

    /**
     * Captures the provenance of a run starting now in the current directory's repository.
     *
     * @param seed the run's master seed
     * @return the provenance
     */
    public static Provenance capture(long seed) {
        return capture(seed, Instant.now(), Path.of("").toAbsolutePath());
    }

    /**
     * Captures the provenance of a run: the git commit of {@code workingTree} (by running
     * {@code git rev-parse HEAD} there, with a 10 s time limit; {@value #UNKNOWN} if that fails for any reason),
     * ND4J's backend and default data type (this initialises ND4J if it is not yet), and the JVM and machine.
     *
     * @param seed        the run's master seed
     * @param start       the run's start time
     * @param workingTree a folder inside the git working tree to describe
     * @return the provenance
     * @throws IllegalArgumentException if {@code start} or {@code workingTree} is null
     */
    public static Provenance capture(long seed, Instant start, Path workingTree) {
        if (start == null || workingTree == null) {
            throw new IllegalArgumentException("The start time and the working tree must not be null, but got start="
                    + start + ", workingTree=" + workingTree + ".");
        }
        String declared = Nd4j.class.getPackage() == null ? null : Nd4j.class.getPackage().getImplementationVersion();
        Runtime runtime = Runtime.getRuntime();
        return new Provenance(seed, gitCommit(workingTree), Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.dataType().name(), declared == null || declared.isBlank() ? ND4J_BUILD_VERSION : declared,
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), runtime.availableProcessors(), runtime.maxMemory(), start.toString());
    }

    /**
     * Returns the commit checked out in a git working tree, by running {@code git rev-parse HEAD} (which only
     * reads the repository).
     *
     * @param workingTree a folder inside the working tree
     * @return the commit's object name, or {@value #UNKNOWN} if git is missing, the folder is not in a
     *         repository, the repository has no commit yet, or git takes longer than 10 s
     */
    public static String gitCommit(Path workingTree) {
        if (workingTree == null || !Files.isDirectory(workingTree)) {
            return UNKNOWN;
        }
        Process process;
        try {
            process = new ProcessBuilder("git", "rev-parse", "HEAD").directory(workingTree.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return UNKNOWN;
        }
        try (InputStream out = process.getInputStream()) {
            // The answer is one short line, far below a pipe's capacity: wait first, then read, so that a git
            // that hangs cannot block the read.
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return UNKNOWN;
            }
            byte[] bytes = out.readNBytes(200);
            String commit = new String(bytes, StandardCharsets.US_ASCII).trim();
            return COMMIT.matcher(commit).matches() ? commit : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        } finally {
            process.destroy();
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The provenance field " + name + " must be a non-blank string, but was "
                    + (value == null ? "null" : "\"" + value + "\"") + ".");
        }
    }
}
