package org.hypergrad4j.experiments.results;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.io.DurableFiles;

/**
 * Appends rows of metrics to a CSV file with a fixed, ordered set of columns declared at creation (for example
 * {@code step, train_loss, val_loss, val_accuracy, hypergradient_norm, products, seconds}).
 *
 * <h2>Durability</h2>
 * Each row is written and flushed to the operating system in one call before {@link #write(double...)}
 * returns, so a run that is killed keeps every row written so far (a power failure may still lose rows the
 * operating system had not stored yet). At most the row being written at the moment of the kill is left
 * incomplete, without its line end; {@link #append(Path, List)} removes such a fragment and {@link Metrics}
 * ignores it.
 *
 * <h2>Format</h2>
 * See the package documentation: a header line of column names, then one line per row with one number per
 * column; {@code NaN} is written as {@code NaN}.
 *
 * <h2>Resuming</h2>
 * {@link #append(Path, List)} reopens an existing file and checks that its header is exactly the given columns,
 * so a resumed run cannot silently write rows under the wrong names.
 *
 * <p>Instances are thread-safe: rows from several threads are written whole, one after another.
 */
public final class MetricsWriter implements Closeable {

    private final Path file;
    private final List<String> columns;
    private final BufferedWriter out;
    private long rows;
    private boolean closed;

    private MetricsWriter(Path file, List<String> columns, BufferedWriter out, long rows) {
        this.file = file;
        this.columns = columns;
        this.out = out;
        this.rows = rows;
    }

    /**
     * Creates a new metrics file and writes its header.
     *
     * @param file    the file to create; its folder must exist
     * @param columns the column names, unique, each matching {@code [A-Za-z_][A-Za-z0-9_.-]*}
     * @return a writer positioned after the header
     * @throws IllegalArgumentException if {@code file} is null or the columns are invalid
     * @throws IllegalStateException    if the file already exists (use {@link #append(Path, List)} to resume)
     * @throws UncheckedIOException     if the file cannot be created
     */
    public static MetricsWriter create(Path file, List<String> columns) {
        requireFile(file);
        List<String> checked = MetricsFormat.checkColumns(columns);
        try {
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            MetricsWriter writer = new MetricsWriter(file, checked, out, 0);
            writer.writeLine(MetricsFormat.header(checked));
            return writer;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("The metrics file " + file + " already exists; open it with "
                    + "MetricsWriter.append to continue it, or write to a new file.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reopens an existing metrics file to append rows after a resume. An empty file, or one whose header was cut
     * short, is given its header; an incomplete last row (no line end, from a killed writer) is removed.
     *
     * @param file    the existing file
     * @param columns the columns the resumed run writes; must equal the file's header, in order
     * @return a writer positioned at the end of the file, whose {@link #rowsWritten()} counts the rows already
     *         there
     * @throws IllegalArgumentException if {@code file} is null, the columns are invalid, or they differ from the
     *                                  file's header (the message shows both)
     * @throws RunFileNotFoundException if the file does not exist
     * @throws RunFileFormatException   if the file holds no complete line and is not a prefix of the header
     * @throws UncheckedIOException     if the file cannot be read or written
     */
    public static MetricsWriter append(Path file, List<String> columns) {
        requireFile(file);
        List<String> checked = MetricsFormat.checkColumns(columns);
        String header = MetricsFormat.header(checked);
        long rows = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] content = readAll(channel);
            int lastNewline = lastIndexOf(content, (byte) '\n');
            if (lastNewline < 0) {
                String partial = new String(content, StandardCharsets.UTF_8);
                if (!header.startsWith(partial)) {
                    throw new RunFileFormatException(file, "The file " + file + " holds no complete line and its text \""
                            + abbreviate(partial) + "\" is not the start of the header [" + header
                            + "], so it is not a metrics file to resume.");
                }
                // Empty, or a header cut short before its line end: start the file again.
                channel.truncate(0);
                channel.position(0);
                channel.write(ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8)));
            } else {
                int firstNewline = indexOf(content, (byte) '\n');
                String existing = new String(content, 0, firstNewline, StandardCharsets.UTF_8);
                if (!existing.equals(header)) {
                    throw new IllegalArgumentException("The metrics file " + file + " has the columns [" + existing
                            + "], but the resumed run writes the columns [" + header + "]; they must be equal, in order.");
                }
                channel.truncate(lastNewline + 1L);
                for (int i = firstNewline + 1; i <= lastNewline; i++) {
                    if (content[i] == '\n') {
                        rows++;
                    }
                }
            }
            channel.force(false);
        } catch (NoSuchFileException e) {
            throw new RunFileNotFoundException(file, "The metrics file " + file + " does not exist, so there is nothing "
                    + "to resume; create it with MetricsWriter.create.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reopen the metrics file " + file + ": " + e.getMessage(), e);
        }
        try {
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new MetricsWriter(file, checked, out, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reopen the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reopens a metrics file to continue a run resumed after {@code keptUnits} units (from its checkpoint), crash-safely
     * and without rewriting what is kept: the rows of units {@code 1..keptUnits} must all be there, once each and in
     * order (their column {@code unitColumn} counts from 1); rows after them (written after the checkpoint, before an
     * interruption) and an incomplete last row are cut off by one truncation, so a kill during the resume leaves a
     * file the next resume treats the same way.
     *
     * @throws IllegalArgumentException if the header differs, or a row is missing, repeated, out of order or unreadable
     *                                  (the message names the row and the unit)
     * @throws RunFileNotFoundException if the file does not exist
     */
    public static MetricsWriter continueAfter(Path file, List<String> columns, String unitColumn, long keptUnits) {
        requireFile(file);
        List<String> checked = MetricsFormat.checkColumns(columns);
        int unitIndex = checked.indexOf(unitColumn);
        if (unitIndex < 0) {
            throw new IllegalArgumentException("The unit column \"" + unitColumn + "\" is not one of " + checked + ".");
        }
        String header = MetricsFormat.header(checked);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RunFileNotFoundException(file, "The metrics file " + file + " does not exist, so the run cannot be continued"
                    + " without losing its first " + keptUnits + " rows.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the metrics file " + file + ": " + e.getMessage(), e);
        }
        String text = new String(content, StandardCharsets.UTF_8);
        int firstNewline = text.indexOf('\n');
        if (firstNewline < 0 || !text.substring(0, firstNewline).equals(header)) {
            throw new IllegalArgumentException("The metrics file " + file + " does not start with the header [" + header + "]"
                    + (firstNewline < 0 ? " on a line of its own." : "; it has [" + text.substring(0, firstNewline) + "]."));
        }
        long expected = 1;
        int keepBytes = firstNewline + 1;
        int line = 1;
        for (int from = firstNewline + 1; from < text.length(); ) {
            int end = text.indexOf('\n', from);
            if (end < 0) {
                break; // an incomplete last row, cut off below
            }
            line++;
            String[] cells = text.substring(from, end).split(",", -1);
            double unit;
            try {
                unit = cells.length == checked.size() ? Double.parseDouble(cells[unitIndex]) : Double.NaN;
            } catch (NumberFormatException e) {
                unit = Double.NaN;
            }
            if (Double.isNaN(unit)) {
                throw new IllegalArgumentException("Line " + line + " of " + file + " is not a row of " + checked.size() + " numbers.");
            }
            if (unit > keptUnits) {
                break; // written after the checkpoint: recomputed by the resumed run
            }
            if (unit != expected) {
                throw new IllegalArgumentException("Line " + line + " of " + file + " is " + unitColumn + " " + (long) unit + " but "
                        + unitColumn + " " + expected + " was expected there (" + (unit < expected ? "a repeated row" : "rows missing")
                        + "); the metrics do not match the checkpoint after " + unitColumn + " " + keptUnits + ".");
            }
            expected++;
            keepBytes = end + 1; // metrics files are ASCII (numbers and checked column names): chars are bytes
            from = end + 1;
        }
        if (expected - 1 != keptUnits) {
            throw new IllegalArgumentException("The metrics file " + file + " holds rows up to " + unitColumn + " " + (expected - 1)
                    + " but the checkpoint is after " + unitColumn + " " + keptUnits + ": rows " + expected + " to " + keptUnits + " are lost.");
        }
        try {
            if (keepBytes < content.length) {
                DurableFiles.truncate(file, keepBytes);
            }
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new MetricsWriter(file, checked, out, keptUnits);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reopen the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the file written.
     *
     * @return the path given at creation
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the columns, in file order.
     *
     * @return an unmodifiable list
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Returns the number of rows in the file: those found by {@link #append(Path, List)} plus those written
     * since.
     *
     * @return the row count, not counting the header
     */
    public synchronized long rowsWritten() {
        return rows;
    }

    /**
     * Appends one row and flushes it.
     *
     * @param values one value per column, in column order; any double, including {@code NaN} and infinities
     * @throws IllegalArgumentException if the number of values differs from the number of columns
     * @throws IllegalStateException    if the writer is closed
     * @throws UncheckedIOException     if writing fails
     */
    public synchronized void write(double... values) {
        if (values == null || values.length != columns.size()) {
            throw new IllegalArgumentException("A row of " + file.getFileName() + " needs " + columns.size()
                    + " values, one per column " + columns + ", but got " + (values == null ? "null" : values.length) + ".");
        }
        StringBuilder line = new StringBuilder(16 * values.length);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(MetricsFormat.format(values[i]));
        }
        writeLine(line.toString());
        rows++;
    }

    /**
     * Appends one row given by column name and flushes it.
     *
     * @param row exactly one value per column (any key order); {@code null} values are not allowed
     * @throws IllegalArgumentException if a column is missing, a key is not a column, or a value is null
     * @throws IllegalStateException    if the writer is closed
     * @throws UncheckedIOException     if writing fails
     */
    public void write(Map<String, ? extends Number> row) {
        if (row == null) {
            throw new IllegalArgumentException("A row of " + file.getFileName() + " must not be null.");
        }
        for (String key : row.keySet()) {
            if (!columns.contains(key)) {
                throw new IllegalArgumentException("The row names the metric \"" + key + "\", which is not one of the "
                        + "columns " + columns + " of " + file.getFileName() + ".");
            }
        }
        double[] values = new double[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Number value = row.get(columns.get(i));
            if (value == null) {
                throw new IllegalArgumentException("The row has no value for the column \"" + columns.get(i) + "\" of "
                        + file.getFileName() + "; every column " + columns + " needs one (use Double.NaN for none).");
            }
            values[i] = value.doubleValue();
        }
        write(values);
    }

    /**
     * Closes the file. Further writes throw {@link IllegalStateException}; closing twice does nothing.
     *
     * @throws UncheckedIOException if closing fails
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeLine(String line) {
        if (closed) {
            throw new IllegalStateException("The metrics writer for " + file + " is closed; no more rows can be written.");
        }
        DurableFiles.faultPoint("append " + file.getFileName());
        try {
            out.write(line + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write to the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireFile(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("The metrics file path must not be null.");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("the file is larger than 2 GB");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // keep reading until full or end of file
        }
        return buffer.array();
    }

    private static int indexOf(byte[] content, byte b) {
        for (int i = 0; i < content.length; i++) {
            if (content[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] content, byte b) {
        for (int i = content.length - 1; i >= 0; i--) {
            if (content[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
