package org.hypergrad4j.repro;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.experiments.results.Provenance;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunLock;

/**
 * Runs one reproduction into a new run folder {@code repro-NAME-<time>-<seed>}: {@code config.json},
 * {@code provenance.json}, what the reproduction writes (metrics, figures), {@code REPORT.md} and
 * {@code summary.json} (the verdict and its checks).
 */
public final class ReproRunner {
    /** The report's file name in the run folder. */
    public static final String REPORT = "REPORT.md";

    /** Most seeds a run takes. */
    public static final int MAX_SEEDS = 100;

    private ReproRunner() {
    }

    /** What {@code config.json} records. */
    public record Config(String reproduction, String scale, long seed, int seeds, String dataDir) {
    }

    /** What {@code summary.json} records. */
    public record Summary(String reproduction, String scale, String verdict, List<Check> checks, List<String> figures) {
    }

    /**
     * Checks the input, then runs {@code reproduction}; returns the run folder.
     *
     * @throws IllegalArgumentException for bad input (no seeds, too many, a seed range that overflows), before any
     *                                  folder is made, or for what the reproduction refuses
     */
    public static Path run(Reproduction reproduction, Scale scale, long seed, int seeds, Path dataDir, Path outRoot, PrintStream out) {
        return run(reproduction, scale, seed, seeds, dataDir, outRoot, null, out);
    }

    /**
     * As {@link #run(Reproduction, Scale, long, int, Path, Path, PrintStream)}, and with {@code publishTo} not null also
     * writes the report as {@code publishTo/NAME.md} with its figures in {@code publishTo/figures/NAME/} (how the
     * reports under {@code docs/reproductions} are made).
     */
    public static Path run(Reproduction reproduction, Scale scale, long seed, int seeds, Path dataDir, Path outRoot, Path publishTo,
            PrintStream out) {
        if (publishTo != null && !java.nio.file.Files.isDirectory(publishTo)) {
            throw new IllegalArgumentException("--publish names no folder: " + publishTo + ".");
        }
        if (seeds < 1 || seeds > MAX_SEEDS) {
            throw new IllegalArgumentException("--seeds must lie in [1, " + MAX_SEEDS + "], got " + seeds + ".");
        }
        if (seed > Long.MAX_VALUE - (seeds - 1)) {
            throw new IllegalArgumentException("--seed " + seed + " with --seeds " + seeds + " overflows a 64-bit seed; use a smaller --seed.");
        }
        reproduction.checkAvailable(dataDir);
        String command = "bin/hpo repro run " + reproduction.name() + " --scale " + scale.label() + " --seed " + seed + " --seeds " + seeds
                + (dataDir == null ? "" : " --data-dir " + dataDir);
        RunDirectory dir = RunDirectory.createUnique(outRoot, "repro-" + reproduction.name(), seed, Instant.now());
        try (RunLock lock = dir.lock()) {
            dir.writeConfig(new Config(reproduction.name(), scale.label(), seed, seeds, dataDir == null ? "" : dataDir.toString()));
            dir.writeProvenance(Provenance.capture(seed));
            out.printf("%s — %s, scale %s, %s%n", reproduction.name(), reproduction.title(), scale.label(),
                    seeds == 1 ? "seed " + seed : "seeds " + seed + "–" + (seed + seeds - 1));
            Report report = reproduction.run(new Reproduction.Run(scale, seed, seeds, dir.path(), dataDir, out, command));
            DurableFiles.replace(dir.file(REPORT), report.markdown("").getBytes(StandardCharsets.UTF_8));
            dir.writeSummary(new Summary(report.name(), scale.label(), report.verdict().label(), report.checks(), report.figures()));
            out.printf("%nVerdict: %s%n", report.verdict().label());
            for (Check c : report.checks()) {
                out.printf("  [%s] %s — %s%n", c.holds() ? "holds" : "FAILS", c.statement(), c.measured());
            }
            out.printf("Report: %s%n", dir.file(REPORT));
            if (publishTo != null) {
                publish(report, dir, publishTo);
                out.printf("Published: %s%n", publishTo.resolve(report.name() + ".md"));
            }
        }
        return dir.path();
    }

    private static void publish(Report report, RunDirectory dir, Path publishTo) {
        Path figures = publishTo.resolve("figures").resolve(report.name());
        try {
            java.nio.file.Files.createDirectories(figures);
            for (String f : report.figures()) {
                DurableFiles.replace(figures.resolve(f), java.nio.file.Files.readAllBytes(dir.file(f)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not publish the figures of " + report.name() + " into " + figures + ".", e);
        }
        DurableFiles.replace(publishTo.resolve(report.name() + ".md"),
                report.markdown("figures/" + report.name() + "/").getBytes(StandardCharsets.UTF_8));
    }
}
