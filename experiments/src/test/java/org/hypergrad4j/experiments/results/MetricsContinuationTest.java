package org.hypergrad4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MetricsWriter#continueAfter}: rows kept as they are, later ones cut, gaps and repeats refused. */
class MetricsContinuationTest {
    private static final List<String> COLUMNS = List.of("step", "loss");

    private static Path file(Path dir, String text) throws IOException {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void rowsAfterTheCheckpointAndATornLastRowAreCutAndTheRestKeptByteForByte(@TempDir Path dir) throws IOException {
        Path f = file(dir, "step,loss\n1,0.5\n2,0.25\n3,0.125\n4,0.0");
        try (MetricsWriter w = MetricsWriter.continueAfter(f, COLUMNS, "step", 2)) {
            assertEquals(2, w.rowsWritten());
            w.write(3, 0.2);
        }
        assertEquals("step,loss\n1,0.5\n2,0.25\n3,0.2\n", Files.readString(f));
    }

    @Test
    void aRunResumedAfterZeroUnitsKeepsTheHeaderOnly(@TempDir Path dir) throws IOException {
        Path f = file(dir, "step,loss\n1,0.5\n");
        MetricsWriter.continueAfter(f, COLUMNS, "step", 0).close();
        assertEquals("step,loss\n", Files.readString(f));
    }

    @Test
    void missingRepeatedOrUnreadableRowsAreRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        String gap = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.continueAfter(file(dir, "step,loss\n1,0.5\n3,0.1\n"), COLUMNS, "step", 3)).getMessage();
        assertTrue(gap.contains("Line 3") && gap.contains("step 2 was expected there (rows missing)"), gap);
        String repeat = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.continueAfter(file(dir, "step,loss\n1,0.5\n1,0.5\n2,0.1\n"), COLUMNS, "step", 2)).getMessage();
        assertTrue(repeat.contains("a repeated row"), repeat);
        String short_ = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.continueAfter(file(dir, "step,loss\n1,0.5\n"), COLUMNS, "step", 3)).getMessage();
        assertTrue(short_.contains("rows 2 to 3 are lost"), short_);
        String garbage = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.continueAfter(file(dir, "step,loss\n1,0.5\nabc\n"), COLUMNS, "step", 2)).getMessage();
        assertTrue(garbage.contains("Line 3") && garbage.contains("not a row of 2 numbers"), garbage);
        String header = assertThrows(IllegalArgumentException.class,
                () -> MetricsWriter.continueAfter(file(dir, "step,other\n1,0.5\n"), COLUMNS, "step", 1)).getMessage();
        assertTrue(header.contains("does not start with the header"), header);
        assertThrows(RunFileNotFoundException.class, () -> MetricsWriter.continueAfter(dir.resolve("none.csv"), COLUMNS, "step", 1));
    }
}
