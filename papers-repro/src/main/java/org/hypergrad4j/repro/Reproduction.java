package org.hypergrad4j.repro;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One paper experiment as a runnable command: {@code bin/hpo repro run NAME}. An implementation states the paper's
 * claim, runs the experiment at a {@link Scale} over seeds into a run folder (metrics, figures) and returns a
 * {@link Report} whose checks decide the verdict.
 */
public interface Reproduction {
    /** The command-line name, lower case with hyphens. */
    String name();

    /** One line: the paper and the experiment. */
    String title();

    /**
     * How many seeds the test suite runs at the smoke scale: 1 unless a claim is only stable as an average (then the
     * suite runs as many as the claim needs, still within a minute).
     */
    default int smokeSeeds() {
        return 1;
    }

    /** What the reproduction needs beyond the bundled data ("Fashion-MNIST"), or empty. */
    default String needs() {
        return "";
    }

    /**
     * Checks, before any folder is made, that what the reproduction needs is there (a data set's files).
     *
     * @param dataDir the folder given by {@code --data-dir}, or null for the default
     * @throws RuntimeException naming what is missing and how to get it
     */
    default void checkAvailable(Path dataDir) {
    }

    /**
     * Runs the experiment.
     *
     * @param run where to write and what to run
     * @return the report (checks, table, figures written into {@code run.folder()})
     * @throws IllegalArgumentException for input it cannot run (a missing data set, a scale it does not offer)
     */
    Report run(Run run);

    /**
     * @param scale   the scale
     * @param seed    the first seed
     * @param seeds   how many seeds, {@code ≥ 1}
     * @param folder  the run folder, created and locked by the runner
     * @param dataDir a folder holding Fashion-MNIST's files, or null for the default
     * @param out     progress lines
     * @param command the command line that reproduces this run
     */
    record Run(Scale scale, long seed, int seeds, Path folder, Path dataDir, PrintStream out, String command) {
        /** The seeds to run, {@code seed … seed + seeds − 1}. */
        public long[] seedList() {
            long[] s = new long[seeds];
            for (int i = 0; i < seeds; i++) {
                s[i] = seed + i;
            }
            return s;
        }
    }
}
