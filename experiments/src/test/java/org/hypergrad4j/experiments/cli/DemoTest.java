package org.hypergrad4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.hypergrad4j.experiments.demo.DigitsWeightDecayDemo;
import org.junit.jupiter.api.Test;

/** The README's main job, short: it must lower the validation loss and print a readable summary. */
class DemoTest {
    @Test
    void quickDemoLowersValidationLossWritesItsRunFolderAndIsDeterministic(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DigitsWeightDecayDemo.Result first = new DigitsWeightDecayDemo(DigitsWeightDecayDemo.Config.quick()).run(out, root.resolve("a"));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(first.tuned().validationLoss() < first.initial().validationLoss(),
                "validation loss " + first.initial().validationLoss() + " → " + first.tuned().validationLoss());
        assertTrue(text.contains("[6/6]") && text.contains("| val loss"), text);
        DigitsWeightDecayDemo.Result second = new DigitsWeightDecayDemo(DigitsWeightDecayDemo.Config.quick()).run(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), root.resolve("b"));
        assertEquals(first.tuned().validationLoss(), second.tuned().validationLoss(), 0.0, "same seed, same numbers");
        assertEquals(first.logDecayMean(), second.logDecayMean(), 0.0);
        var record = org.hypergrad4j.experiments.results.RunDirectory.open(first.folder());
        assertEquals(6, record.metrics().rowCount(), "one metrics row per hyper-step");
        assertEquals("COMPLETED", record.summary().orElseThrow().get("status"));
        assertTrue(java.nio.file.Files.isRegularFile(first.folder().resolve("losses.png")));
        assertTrue(org.hypergrad4j.bilevel.train.Checkpoints.exists(first.folder().resolve("checkpoint")));
    }
}
