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
    void quickDemoLowersValidationLossAndIsDeterministic() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DigitsWeightDecayDemo.Result first = new DigitsWeightDecayDemo(DigitsWeightDecayDemo.Config.quick()).run(out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(first.tuned().validationLoss() < first.initial().validationLoss(),
                "validation loss " + first.initial().validationLoss() + " → " + first.tuned().validationLoss());
        assertTrue(text.contains("[6/6]") && text.contains("| val loss"), text);
        DigitsWeightDecayDemo.Result second = new DigitsWeightDecayDemo(DigitsWeightDecayDemo.Config.quick()).run(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(first.tuned().validationLoss(), second.tuned().validationLoss(), 0.0, "same seed, same numbers");
        assertEquals(first.logDecayMean(), second.logDecayMean(), 0.0);
    }
}
