package org.hypergrad4j.experiments.results;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CSV dialect of {@code metrics.csv}, shared by {@link MetricsWriter} and {@link Metrics}.
 *
 * <ul>
 *   <li>UTF-8 (in practice ASCII), {@code "\n"} line ends, every line (header included) terminated by one.</li>
 *   <li>The first line is the header: the column names joined by commas. Names match
 *       {@code [A-Za-z_][A-Za-z0-9_.-]*}, so no quoting is ever needed.</li>
 *   <li>Every further line is one row with one field per column. A field is a double: integral values of
 *       magnitude below {@code 2^53} without a fraction ({@code 12}), others as {@link Double#toString(double)}
 *       ({@code 0.25}, {@code 1.0E-7}), which reads back to the identical double; non-finite values as
 *       {@code NaN}, {@code Infinity}, {@code -Infinity}.</li>
 * </ul>
 */
final class MetricsFormat {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final double EXACT_INTEGER_LIMIT = 9007199254740992.0; // 2^53

    private MetricsFormat() {
    }

    /**
     * Validates a column list.
     *
     * @param columns the column names
     * @return an unmodifiable copy
     * @throws IllegalArgumentException if the list is null or empty, or a name is null, malformed or repeated
     */
    static List<String> checkColumns(List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("A metrics file needs at least one column, but got " + columns + ".");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i);
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Metric column " + i + " has the name "
                        + (name == null ? "null" : "\"" + name + "\"")
                        + ", but names must match [A-Za-z_][A-Za-z0-9_.-]* (a letter or underscore, then letters, "
                        + "digits, '_', '.' or '-').");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("The metric column \"" + name + "\" appears more than once in "
                        + columns + "; column names must be unique.");
            }
        }
        return List.copyOf(columns);
    }

    /**
     * Returns the header line (without its line end).
     *
     * @param columns validated column names
     * @return the names joined by commas
     */
    static String header(List<String> columns) {
        return String.join(",", columns);
    }

    /**
     * Formats one value.
     *
     * @param value any double
     * @return its field text, which {@link Double#parseDouble(String)} reads back to the same double (up to the
     *         sign of zero)
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
