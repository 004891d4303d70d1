package org.hypergrad4j.repro;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hypergrad4j.experiments.stats.SeedSummary;

/** A report's measured table: a header and rows of text cells, rendered as Markdown. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("A table needs at least one column.");
        }
        this.header = List.of(header);
    }

    /**
     * @throws IllegalArgumentException if the row does not have one cell per column
     */
    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells for a table of " + header.size() + " columns "
                    + header + ".");
        }
        rows.add(List.of(cells));
        return this;
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** The mean and 95% Student-t interval of per-seed values, or the value itself for one seed. */
    public static String overSeeds(double[] perSeed, int decimals) {
        return SeedSummary.of(perSeed).format(decimals);
    }

    /** The table in Markdown. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> b.append(" --- |"));
        b.append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r.stream().map(c -> Objects.toString(c).replace("|", "\\|")).toList())).append(" |\n");
        }
        return b.toString();
    }
}
