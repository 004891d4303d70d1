package org.hypergrad4j.repro;

import java.util.List;
import java.util.Objects;

/**
 * What a reproduction found, beside what the paper claims: rendered as the run folder's {@code REPORT.md} and, for
 * the committed reports, as {@code docs/reproductions/NAME.md}.
 *
 * @param name        the reproduction's command-line name
 * @param title       one line: the paper and the experiment
 * @param paperClaim  the paper's claim, with its own number
 * @param setup       the set-up here, at the scale run
 * @param differences how it differs from the paper's set-up, and why
 * @param table       the measured table (means and 95% intervals over seeds)
 * @param checks      the claim's testable parts, as measured; they decide the {@link #verdict()}
 * @param notes       what else was seen (may be empty)
 * @param figures     the figure files written into the run folder (names relative to it)
 * @param scale       the scale run
 * @param seeds       the seeds run, {@code seed … seed + seeds − 1}
 * @param command     the command that produced the report
 */
public record Report(String name, String title, String paperClaim, String setup, String differences, Table table, List<Check> checks,
                     String notes, List<String> figures, Scale scale, long seed, int seeds, String command) {
    public Report {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        checks = List.copyOf(checks);
        figures = List.copyOf(figures);
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("Reproduction '" + name + "' reported no checks: a verdict needs at least one.");
        }
    }

    /** {@link Verdict#REPRODUCED} when every check holds, {@link Verdict#NOT_REPRODUCED} when none does, else partly. */
    public Verdict verdict() {
        long holding = checks.stream().filter(Check::holds).count();
        return holding == checks.size() ? Verdict.REPRODUCED : holding == 0 ? Verdict.NOT_REPRODUCED : Verdict.PARTLY;
    }

    /** The report in Markdown, figures linked relative to {@code figurePrefix} ("" in a run folder). */
    public String markdown(String figurePrefix) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        b.append("Verdict: **").append(verdict().label()).append("** (").append(checks.stream().filter(Check::holds).count()).append(" of ")
                .append(checks.size()).append(" checks hold). Scale `").append(scale.label()).append("`, ")
                .append(seeds == 1 ? "seed " + seed : "seeds " + seed + "–" + (seed + seeds - 1)).append(".\n\n");
        b.append("## The paper's claim\n\n").append(paperClaim.strip()).append("\n\n");
        b.append("## Set-up here\n\n").append(setup.strip()).append("\n\n");
        b.append("## Differences from the paper\n\n").append(differences.strip()).append("\n\n");
        b.append("## Measured\n\n").append(seeds > 1 ? "Means with 95% Student-t intervals over " + seeds + " seeds.\n\n" : "")
                .append(table.markdown()).append('\n');
        for (String f : figures) {
            b.append("![").append(f).append("](").append(figurePrefix).append(f).append(")\n\n");
        }
        b.append("## Verdict\n\n| the paper claims | measured here | holds |\n| --- | --- | --- |\n");
        for (Check c : checks) {
            b.append("| ").append(c.statement()).append(" | ").append(c.measured()).append(" | ").append(c.holds() ? "yes" : "**no**").append(" |\n");
        }
        if (!notes.isBlank()) {
            b.append("\n").append(notes.strip()).append('\n');
        }
        b.append("\n## Command\n\n```\n").append(command).append("\n```\n");
        return b.toString();
    }
}
