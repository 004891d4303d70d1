package org.hypergrad4j.experiments.results;

import static org.hypergrad4j.experiments.results.MetricsWriterTest.assertFormat;
import static org.hypergrad4j.experiments.results.MetricsWriterTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.experiments.results.RunDirectory.IfExists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    private static final Instant START = Instant.parse("2024-05-01T12:34:56Z");
    private static final List<String> COLUMNS = List.of("step", "val_loss");

    /** A configuration record as an experiment would write it. */
    record Config(String dataset, double learningRate, int innerSteps, List<Double> logDecays) {
        Config {
            if (innerSteps < 1) {
                throw new IllegalArgumentException("innerSteps must be at least 1, but was " + innerSteps + ".");
            }
        }
    }

    /** A summary record. */
    record Summary(double finalValLoss, double testAccuracy) {
    }

    @TempDir
    Path root;

    @Test
    void folderNamesHoldExperimentUtcTimeAndSeed() {
        assertEquals("digits-wd-20240501-123456-42", RunDirectory.folderName("digits-wd", START, 42));
        assertEquals("x-20240501-123456--7", RunDirectory.folderName("x", START, -7));
        RunDirectory run = RunDirectory.create(root.resolve("runs"), "digits", 3, START, IfExists.FAIL);
        assertEquals(root.resolve("runs").resolve("digits-20240501-123456-3"), run.path());
        assertTrue(Files.isDirectory(run.path()));
        assertEquals(run.path().resolve("loss.png"), run.file("loss.png"));
    }

    @Test
    void aNonEmptyFolderIsNotOverwrittenUnlessAsked() throws IOException {
        RunDirectory first = RunDirectory.create(root, "run", IfExists.FAIL);
        // An existing but empty folder is simply used.
        assertEquals(first.path(), RunDirectory.create(root, "run", IfExists.FAIL).path());
        first.writeConfig(Map.of("a", 1));
        first.newMetrics(COLUMNS).close();
        first.writeSummary(Map.of("done", true));
        Files.writeString(first.file("notes.txt"), "keep me");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunDirectory.create(root, "run", IfExists.FAIL));
        assertTrue(e.getMessage().contains("already exists and holds 4 entries; refusing to overwrite it"), e.getMessage());
        assertTrue(e.getMessage().contains(first.path().toString()), e.getMessage());

        RunDirectory resumed = RunDirectory.create(root, "run", IfExists.RESUME);
        assertTrue(Files.exists(resumed.path().resolve(RunDirectory.METRICS)));
        assertTrue(Files.exists(resumed.path().resolve(RunDirectory.SUMMARY)));

        RunDirectory overwritten = RunDirectory.create(root, "run", IfExists.OVERWRITE);
        for (String f : List.of(RunDirectory.CONFIG, RunDirectory.METRICS, RunDirectory.SUMMARY)) {
            assertFalse(Files.exists(overwritten.path().resolve(f)), f + " should be gone");
        }
        assertEquals("keep me", Files.readString(overwritten.file("notes.txt")));
        overwritten.newMetrics(COLUMNS).close();
    }

    @Test
    void resumingNeedsAnExistingFolderAndPathsMustBeFolders() throws IOException {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RunDirectory.create(root, "absent", IfExists.RESUME));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.writeString(root.resolve("plain"), "x");
        IllegalStateException file = assertThrows(IllegalStateException.class,
                () -> RunDirectory.create(root, "plain", IfExists.OVERWRITE));
        assertTrue(file.getMessage().contains("is not a folder"), file.getMessage());
    }

    @Test
    void badNamesAreRejected() {
        for (String bad : new String[] {"", "../up", "a/b", ".hidden", "with space", "-dash"}) {
            assertMessage(() -> RunDirectory.create(root, bad, IfExists.FAIL), "but was \"" + bad + "\"");
        }
        assertMessage(() -> RunDirectory.create(root, null, IfExists.FAIL), "but was null");
        assertMessage(() -> RunDirectory.create(root, "ok", null), "use FAIL, OVERWRITE or RESUME");
        assertMessage(() -> RunDirectory.create(null, "ok", IfExists.FAIL), "output root");
        assertMessage(() -> RunDirectory.folderName("a/b", START, 1), "experiment name");
        assertMessage(() -> RunDirectory.folderName("ok", null, 1), "start time");
        RunDirectory run = RunDirectory.create(root, "ok", IfExists.FAIL);
        assertMessage(() -> run.file("../escape.png"), "file name");
    }

    @Test
    void jsonIsPrettyWithSortedMapKeysAndRecordComponentsInDeclarationOrder() throws IOException {
        RunDirectory run = RunDirectory.create(root, "json", IfExists.FAIL);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("zeta", 1);
        config.put("alpha", List.of(1.5, 2));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("y", "text with \"quotes\"");
        nested.put("b", Double.NaN);
        config.put("model", nested);
        run.writeConfig(config);
        assertEquals("{\n"
                + "  \"alpha\": [ 1.5, 2 ],\n"
                + "  \"model\": {\n"
                + "    \"b\": NaN,\n"
                + "    \"y\": \"text with \\\"quotes\\\"\"\n"
                + "  },\n"
                + "  \"zeta\": 1\n"
                + "}\n", Files.readString(run.path().resolve(RunDirectory.CONFIG)));
        run.writeProvenance(ProvenanceTest.sample());
        assertEquals("{\n"
                + "  \"seed\": 42,\n"
                + "  \"gitCommit\": \"0123456789abcdef0123456789abcdef01234567\",\n"
                + "  \"backend\": \"CpuBackend\",\n"
                + "  \"dataType\": \"FLOAT\",\n"
                + "  \"nd4jVersion\": \"1.0.0-M2.1\",\n"
                + "  \"javaVersion\": \"17.0.15\",\n"
                + "  \"os\": \"Linux 6.1\",\n"
                + "  \"arch\": \"amd64\",\n"
                + "  \"cores\": 2,\n"
                + "  \"maxHeapBytes\": 3221225472,\n"
                + "  \"startTime\": \"2024-05-01T12:34:56Z\"\n"
                + "}\n", Files.readString(run.path().resolve(RunDirectory.PROVENANCE)));
        run.writeSummary(new Summary(0.25, Double.POSITIVE_INFINITY));
        assertEquals("{\n  \"finalValLoss\": 0.25,\n  \"testAccuracy\": Infinity\n}\n",
                Files.readString(run.path().resolve(RunDirectory.SUMMARY)));
        try (var files = Files.list(run.path())) {
            assertEquals(List.of("config.json", "provenance.json", "summary.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file may be left behind");
        }
    }

    @Test
    void aRunFolderReadsBackWhatWasWritten() {
        RunDirectory run = RunDirectory.create(root, "experiment", 42, START, IfExists.FAIL);
        Config config = new Config("digits", 0.1, 100, List.of(-2.0, -1.5));
        Provenance provenance = ProvenanceTest.sample();
        run.writeConfig(config);
        run.writeProvenance(provenance);
        try (MetricsWriter metrics = run.newMetrics(COLUMNS)) {
            metrics.write(0, 0.75);
            metrics.write(100, Double.NaN);
            metrics.write(200, 0.125);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("final_val_loss", 0.125);
        summary.put("steps", 200);
        summary.put("diverged", false);
        summary.put("worst", Double.NaN);
        run.writeSummary(summary);

        RunRecord record = RunDirectory.open(run.path());
        assertEquals(run.path(), record.path());
        assertEquals(config, record.config(Config.class));
        assertEquals("digits", record.config().get("dataset"));
        assertEquals(100L, record.config().get("innerSteps"));
        assertEquals(List.of(-2.0, -1.5), record.config().get("logDecays"));
        assertEquals(provenance, record.provenance());
        assertEquals(COLUMNS, record.metrics().columns());
        assertArrayEquals(new double[] {0, 100, 200}, record.metrics().column("step"));
        assertArrayEquals(new double[] {0.75, Double.NaN, 0.125}, record.metrics().column("val_loss"));
        Map<String, Object> readSummary = record.summary().orElseThrow();
        assertEquals(0.125, readSummary.get("final_val_loss"));
        assertEquals(200L, readSummary.get("steps"));
        assertEquals(false, readSummary.get("diverged"));
        assertTrue(Double.isNaN((Double) readSummary.get("worst")));
        assertThrows(UnsupportedOperationException.class, () -> record.config().put("x", 1));
    }

    @Test
    void aRunWithoutSummaryReadsBackWithAnEmptySummaryAndResumesItsMetrics() {
        RunDirectory run = RunDirectory.create(root, "killed", IfExists.FAIL);
        run.writeConfig(Map.of("seed", 1));
        run.writeProvenance(ProvenanceTest.sample());
        MetricsWriter metrics = run.newMetrics(COLUMNS);
        metrics.write(0, 1.0);
        // The process dies here: the writer is never closed and no summary is written.
        RunRecord record = RunDirectory.open(run.path());
        assertFalse(record.summary().isPresent());
        assertFalse(record.summary(Summary.class).isPresent());
        assertEquals(1, record.metrics().rowCount());

        RunDirectory again = RunDirectory.create(root, "killed", IfExists.RESUME);
        try (MetricsWriter resumed = again.resumeMetrics(COLUMNS)) {
            resumed.write(1, 0.5);
        }
        metrics.close();
        again.writeSummary(new Summary(0.5, 0.9));
        RunRecord finished = RunDirectory.open(again.path());
        assertArrayEquals(new double[] {1.0, 0.5}, finished.metrics().column("val_loss"));
        assertEquals(new Summary(0.5, 0.9), finished.summary(Summary.class).orElseThrow());
    }

    @Test
    void missingAndMalformedFilesAreReportedClearly() throws IOException {
        RunFileNotFoundException noFolder = assertThrows(RunFileNotFoundException.class,
                () -> RunDirectory.open(root.resolve("nope")));
        assertTrue(noFolder.getMessage().contains("does not exist"), noFolder.getMessage());

        RunDirectory run = RunDirectory.create(root, "broken", IfExists.FAIL);
        RunFileNotFoundException noConfig = assertThrows(RunFileNotFoundException.class, () -> RunDirectory.open(run.path()));
        assertEquals(run.path().resolve("config.json"), noConfig.missing());
        assertTrue(noConfig.getMessage().contains("config.json with the run's configuration does not exist"),
                noConfig.getMessage());

        Path config = run.path().resolve(RunDirectory.CONFIG);
        Files.writeString(config, "{\n  \"a\": 1,\n  \"b\": \n");
        RunFileFormatException syntax = assertThrows(RunFileFormatException.class, () -> RunDirectory.open(run.path()));
        assertEquals(config, syntax.file());
        assertTrue(syntax.getMessage().contains("is not valid JSON at line "), syntax.getMessage());

        Files.writeString(config, "[1, 2]\n");
        assertFormat(() -> RunDirectory.open(run.path()), "top-level value is an array");
        Files.writeString(config, "{\"a\": 1} {\"b\": 2}\n");
        assertFormat(() -> RunDirectory.open(run.path()), "is not valid JSON");
        Files.writeString(config, "");
        assertFormat(() -> RunDirectory.open(run.path()), "it is empty");

        run.writeConfig(Map.of("innerSteps", 0, "dataset", "d", "learningRate", 0.1, "logDecays", List.of()));
        assertThrows(RunFileNotFoundException.class, () -> RunDirectory.open(run.path()));
        Files.writeString(run.path().resolve(RunDirectory.PROVENANCE), "{\"seed\": 1, \"gitCommit\": \"xyz\"}\n");
        assertFormat(() -> RunDirectory.open(run.path()), "cannot be read as Provenance");

        run.writeProvenance(ProvenanceTest.sample());
        RunFileNotFoundException noMetrics = assertThrows(RunFileNotFoundException.class, () -> RunDirectory.open(run.path()));
        assertEquals(run.path().resolve("metrics.csv"), noMetrics.missing());

        Files.writeString(run.path().resolve(RunDirectory.METRICS), "step,val_loss\n1\n");
        assertFormat(() -> RunDirectory.open(run.path()), "Line 2 of the metrics file");
        Files.writeString(run.path().resolve(RunDirectory.METRICS), "step,val_loss\n1,2\n");
        RunRecord record = RunDirectory.open(run.path());
        // config.json is a valid map, but the record's own validation rejects innerSteps = 0.
        RunFileFormatException invalid = assertThrows(RunFileFormatException.class, () -> record.config(Config.class));
        assertTrue(invalid.getMessage().contains("innerSteps must be at least 1, but was 0"), invalid.getMessage());

        Files.writeString(run.path().resolve(RunDirectory.SUMMARY), "{\"x\": tru}");
        assertFormat(() -> RunDirectory.open(run.path()), "summary.json with the run's summary is not valid JSON");
    }

    @Test
    void nonObjectsAndUnserialisableValuesAreRejected() {
        RunDirectory run = RunDirectory.create(root, "bad", IfExists.FAIL);
        assertMessage(() -> run.writeConfig(List.of(1, 2)), "must be written as a JSON object");
        assertMessage(() -> run.writeSummary("text"), "must be written as a JSON object");
        assertMessage(() -> run.writeConfig(null), "must not be null");
        assertMessage(() -> run.writeProvenance(null), "must not be null");
        assertMessage(() -> run.writeConfig(new Object()), "cannot be written as JSON");
        assertFalse(Files.exists(run.path().resolve(RunDirectory.CONFIG)));
    }
}
