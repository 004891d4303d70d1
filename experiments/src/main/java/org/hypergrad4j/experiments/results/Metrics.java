package org.hypergrad4j.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a run read back from {@code metrics.csv}, as columns of doubles.
 *
 * <p>Invariants: at least one column; unique column names; every column has {@link #rowCount()} values. The
 * object is immutable: accessors return copies.
 */
public final class Metrics {

    private final List<String> columns;
    private final Map<String, double[]> values;
    private final int rowCount;

    /**
     * Creates metrics from columns of values.
     *
     * @param columns the column names, in order (as for {@link MetricsWriter})
     * @param values  one array per column, all of the same length; copied
     * @throws IllegalArgumentException if the names are invalid, a column has no array, there are arrays for
     *                                  names that are not columns, or the arrays' lengths differ
     */
    public Metrics(List<String> columns, Map<String, double[]> values) {
        this.columns = MetricsFormat.checkColumns(columns);
        if (values == null || values.size() != this.columns.size()) {
            throw new IllegalArgumentException("Metrics need exactly one array per column " + this.columns + ", but got "
                    + (values == null ? "null" : "arrays for " + values.keySet()) + ".");
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        int rows = -1;
        for (String column : this.columns) {
            double[] array = values.get(column);
            if (array == null) {
                throw new IllegalArgumentException("The metrics have no array for the column \"" + column + "\".");
            }
            if (rows >= 0 && array.length != rows) {
                throw new IllegalArgumentException("Every metric column must have the same length, but \"" + column
                        + "\" has " + array.length + " values and \"" + this.columns.get(0) + "\" has " + rows + ".");
            }
            rows = array.length;
            copy.put(column, array.clone());
        }
        this.values = copy;
        this.rowCount = rows;
    }

    /**
     * Reads a metrics file written by {@link MetricsWriter}. A last line without a line end (a row cut short
     * when its writer was killed) is ignored.
     *
     * @param file the CSV file
     * @return its columns
     * @throws RunFileNotFoundException if the file does not exist
     * @throws RunFileFormatException   if it is empty, its header is not a valid column list, a line has the
     *                                  wrong number of fields, or a field is not a number (the message names
     *                                  the line and column)
     * @throws UncheckedIOException     if it cannot be read
     */
    public static Metrics read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RunFileNotFoundException(file, "The metrics file " + file + " does not exist; a run writes it "
                    + "with RunDirectory.newMetrics.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the metrics file " + file + ": " + e.getMessage(), e);
        }
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            throw new RunFileFormatException(file, "The metrics file " + file + " has no complete header line.");
        }
        String[] lines = text.substring(0, end).split("\n", -1);
        List<String> columns;
        try {
            columns = MetricsFormat.checkColumns(Arrays.asList(lines[0].split(",", -1)));
        } catch (IllegalArgumentException e) {
            throw new RunFileFormatException(file, "The header of the metrics file " + file + " is not a valid column "
                    + "list: " + e.getMessage(), e);
        }
        int rows = lines.length - 1;
        List<double[]> data = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            data.add(new double[rows]);
        }
        for (int r = 0; r < rows; r++) {
            String line = lines[r + 1];
            String[] fields = line.split(",", -1);
            if (fields.length != columns.size()) {
                throw new RunFileFormatException(file, "Line " + (r + 2) + " of the metrics file " + file + " has "
                        + fields.length + " fields, but the header declares " + columns.size() + " columns.");
            }
            for (int c = 0; c < fields.length; c++) {
                try {
                    data.get(c)[r] = Double.parseDouble(fields[c]);
                } catch (NumberFormatException e) {
                    throw new RunFileFormatException(file, "Line " + (r + 2) + ", column \"" + columns.get(c)
                            + "\" of the metrics file " + file + " holds \"" + fields[c] + "\", which is not a number.", e);
                }
            }
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            values.put(columns.get(c), data.get(c));
        }
        return new Metrics(columns, values);
    }

    /**
     * Returns the column names.
     *
     * @return an unmodifiable list, in file order
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Returns the number of rows.
     *
     * @return the length of every column
     */
    public int rowCount() {
        return rowCount;
    }

    /**
     * Returns one column.
     *
     * @param name a column name
     * @return a fresh copy of its values, in row order
     * @throws IllegalArgumentException if there is no such column
     */
    public double[] column(String name) {
        double[] array = values.get(name);
        if (array == null) {
            throw new IllegalArgumentException("There is no metric column \"" + name + "\"; the columns are " + columns + ".");
        }
        return array.clone();
    }

    /**
     * Returns one row.
     *
     * @param index the row index, {@code 0 ≤ index < rowCount()}
     * @return a fresh array with one value per column, in column order
     * @throws IllegalArgumentException if the index is out of range
     */
    public double[] row(int index) {
        if (index < 0 || index >= rowCount) {
            throw new IllegalArgumentException("The row index must lie in [0, " + rowCount + "), but was " + index + ".");
        }
        double[] row = new double[columns.size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = values.get(columns.get(c))[index];
        }
        return row;
    }
}
