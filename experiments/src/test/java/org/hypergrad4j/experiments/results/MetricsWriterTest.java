package org.hypergrad4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {

    private static final List<String> COLUMNS = List.of("step", "train_loss", "val_loss");

    @TempDir
    Path dir;

    @Test
    void writesTheHeaderAndOneLinePerRowInColumnOrder() throws IOException {
        Path file = dir.resolve("metrics.csv");
        try (MetricsWriter w = MetricsWriter.create(file, COLUMNS)) {
            w.write(0, 2.5, Double.NaN);
            w.write(1, 0.125, Double.POSITIVE_INFINITY);
            Map<String, Number> row = new LinkedHashMap<>();
            row.put("val_loss", 1e-7);
            row.put("step", 2);
            row.put("train_loss", -0.0625);
            w.write(row);
            assertEquals(3, w.rowsWritten());
            assertEquals(COLUMNS, w.columns());
        }
        assertEquals("step,train_loss,val_loss\n0,2.5,NaN\n1,0.125,Infinity\n2,-0.0625,1.0E-7\n",
                Files.readString(file));
    }

    @Test
    void everyRowIsOnDiskBeforeWriteReturns() throws IOException {
        Path file = dir.resolve("m.csv");
        MetricsWriter w = MetricsWriter.create(file, COLUMNS);
        assertEquals("step,train_loss,val_loss\n", Files.readString(file));
        w.write(1, 2, 3);
        // Not closed: a run killed now keeps this row.
        assertEquals("step,train_loss,val_loss\n1,2,3\n", Files.readString(file));
        Metrics read = Metrics.read(file);
        assertEquals(1, read.rowCount());
        assertArrayEquals(new double[] {1, 2, 3}, read.row(0));
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.write(4, 5, 6));
    }

    @Test
    void resumingAppendsAfterTheExistingRowsAndDropsACutOffRow() throws IOException {
        Path file = dir.resolve("m.csv");
        try (MetricsWriter w = MetricsWriter.create(file, COLUMNS)) {
            w.write(0, 1, 2);
            w.write(1, 0.5, 1.5);
        }
        // A writer killed in the middle of a row leaves a fragment without a line end.
        Files.writeString(file, "2,0.2", StandardOpenOption.APPEND);
        assertEquals(2, Metrics.read(file).rowCount());
        try (MetricsWriter w = MetricsWriter.append(file, COLUMNS)) {
            assertEquals(2, w.rowsWritten());
            w.write(2, 0.25, 1.25);
            assertEquals(3, w.rowsWritten());
        }
        assertEquals("step,train_loss,val_loss\n0,1,2\n1,0.5,1.5\n2,0.25,1.25\n", Files.readString(file));
        Metrics m = Metrics.read(file);
        assertArrayEquals(new double[] {0, 1, 2}, m.column("step"));
        assertArrayEquals(new double[] {2, 1.5, 1.25}, m.column("val_loss"));
    }

    @Test
    void resumingAnEmptyOrHeaderlessFileWritesTheHeader() throws IOException {
        Path empty = dir.resolve("empty.csv");
        Files.createFile(empty);
        try (MetricsWriter w = MetricsWriter.append(empty, COLUMNS)) {
            assertEquals(0, w.rowsWritten());
            w.write(5, 6, 7);
        }
        assertEquals("step,train_loss,val_loss\n5,6,7\n", Files.readString(empty));
        Path cut = dir.resolve("cut.csv");
        Files.writeString(cut, "step,train");
        MetricsWriter.append(cut, COLUMNS).close();
        assertEquals("step,train_loss,val_loss\n", Files.readString(cut));
        Path foreign = dir.resolve("foreign.csv");
        Files.writeString(foreign, "{\"not\": \"metrics\"}");
        RunFileFormatException e = assertThrows(RunFileFormatException.class, () -> MetricsWriter.append(foreign, COLUMNS));
        assertTrue(e.getMessage().contains("not the start of the header"), e.getMessage());
        assertEquals("{\"not\": \"metrics\"}", Files.readString(foreign));
    }

    @Test
    void resumingWithOtherColumnsIsRefused() throws IOException {
        Path file = dir.resolve("m.csv");
        MetricsWriter.create(file, COLUMNS).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.append(file, List.of("step", "val_loss", "train_loss")));
        assertTrue(e.getMessage().contains("has the columns [step,train_loss,val_loss], but the resumed run writes the "
                + "columns [step,val_loss,train_loss]"), e.getMessage());
        RunFileNotFoundException missing = assertThrows(RunFileNotFoundException.class,
                () -> MetricsWriter.append(dir.resolve("none.csv"), COLUMNS));
        assertEquals(dir.resolve("none.csv"), missing.missing());
        IllegalStateException exists = assertThrows(IllegalStateException.class, () -> MetricsWriter.create(file, COLUMNS));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }

    @Test
    void badColumnsAndRowsAreRejected() throws IOException {
        assertMessage(() -> MetricsWriter.create(dir.resolve("a.csv"), List.of()), "at least one column");
        assertMessage(() -> MetricsWriter.create(dir.resolve("a.csv"), List.of("step", "a,b")), "column 1 has the name \"a,b\"");
        assertMessage(() -> MetricsWriter.create(dir.resolve("a.csv"), List.of("")), "column 0 has the name \"\"");
        assertMessage(() -> MetricsWriter.create(dir.resolve("a.csv"), List.of("1st")), "\"1st\"");
        assertMessage(() -> MetricsWriter.create(dir.resolve("a.csv"), List.of("x", "y", "x")), "\"x\" appears more than once");
        assertMessage(() -> MetricsWriter.create(null, COLUMNS), "must not be null");
        try (MetricsWriter w = MetricsWriter.create(dir.resolve("b.csv"), COLUMNS)) {
            assertMessage(() -> w.write(1, 2), "needs 3 values, one per column [step, train_loss, val_loss], but got 2");
            assertMessage(() -> w.write(Map.of("step", 1, "train_loss", 2)), "no value for the column \"val_loss\"");
            assertMessage(() -> w.write(Map.of("step", 1, "train_loss", 2, "val_loss", 3, "lr", 4)),
                    "names the metric \"lr\", which is not one of the columns");
        }
        assertEquals("step,train_loss,val_loss\n", Files.readString(dir.resolve("b.csv")));
    }

    @Test
    void integralValuesAreWrittenWithoutAFractionUpTo2To53() {
        assertEquals("12", MetricsFormat.format(12.0));
        assertEquals("-3", MetricsFormat.format(-3.0));
        assertEquals("0", MetricsFormat.format(-0.0));
        assertEquals("1000000000000000", MetricsFormat.format(1e15));
        assertEquals("9.007199254740992E15", MetricsFormat.format(9007199254740992.0));
        assertEquals("0.1", MetricsFormat.format(0.1));
        assertEquals("-Infinity", MetricsFormat.format(Double.NEGATIVE_INFINITY));
    }

    @Property(tries = 300, seed = "22")
    void everyDoubleReadsBackIdentically(@ForAll double value) throws IOException {
        Path file = Files.createTempFile("metrics", ".csv");
        Files.delete(file);
        try (MetricsWriter w = MetricsWriter.create(file, List.of("v"))) {
            w.write(value);
        }
        double read = Metrics.read(file).column("v")[0];
        Files.delete(file);
        if (value == 0.0) {
            assertEquals(0.0, read, 0.0);
        } else {
            assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(read), () -> value + " came back as " + read);
        }
    }

    @Test
    void malformedMetricsFilesAreReportedWithLineAndColumn() throws IOException {
        Path wrongCount = dir.resolve("count.csv");
        Files.writeString(wrongCount, "a,b\n1,2\n3\n");
        assertFormat(() -> Metrics.read(wrongCount), "Line 3 of the metrics file");
        Path notNumber = dir.resolve("nan.csv");
        Files.writeString(notNumber, "a,b\n1,abc\n");
        assertFormat(() -> Metrics.read(notNumber), "Line 2, column \"b\"");
        Path badHeader = dir.resolve("header.csv");
        Files.writeString(badHeader, "a,a\n1,2\n");
        assertFormat(() -> Metrics.read(badHeader), "appears more than once");
        Path noLine = dir.resolve("noline.csv");
        Files.writeString(noLine, "a,b");
        assertFormat(() -> Metrics.read(noLine), "no complete header line");
        Path blank = dir.resolve("blank.csv");
        Files.writeString(blank, "a\n1\n\n2\n");
        assertFormat(() -> Metrics.read(blank), "Line 3");
        assertThrows(RunFileNotFoundException.class, () -> Metrics.read(dir.resolve("missing.csv")));
    }

    @Test
    void metricsObjectsValidateAndCopy() {
        double[] a = {1, 2};
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("a", a);
        values.put("b", new double[] {3, 4});
        Metrics m = new Metrics(List.of("a", "b"), values);
        a[0] = 99;
        assertEquals(1, m.column("a")[0]);
        m.column("a")[1] = 99;
        assertEquals(2, m.column("a")[1]);
        assertArrayEquals(new double[] {2, 4}, m.row(1));
        assertMessage(() -> m.row(2), "[0, 2), but was 2");
        assertMessage(() -> m.column("c"), "no metric column \"c\"");
        values.put("b", new double[] {3});
        assertMessage(() -> new Metrics(List.of("a", "b"), values), "\"b\" has 1 values and \"a\" has 2");
        assertMessage(() -> new Metrics(List.of("a"), values), "exactly one array per column [a]");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }

    static void assertFormat(org.junit.jupiter.api.function.Executable call, String fragment) {
        RunFileFormatException e = assertThrows(RunFileFormatException.class, call);
        assertTrue(e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }
}
