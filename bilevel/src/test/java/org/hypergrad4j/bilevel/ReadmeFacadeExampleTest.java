package org.hypergrad4j.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypergrad4j.bilevel.hyper.DropoutRates;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.problem.Blobs;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.junit.jupiter.api.Test;

/** The README's facade example: this code must appear in README.md, and it runs. */
class ReadmeFacadeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/hypergrad4j/bilevel/ReadmeFacadeExampleTest.java");

    @Test
    void readmeShowsThisCodeAndItRuns() throws IOException {
        Dataset train = Blobs.make("train", 60, 64, 10, 0.5, 1);
        Dataset validation = Blobs.make("val", 40, 64, 10, 0.5, 2);
        Dataset test = Blobs.make("test", 40, 64, 10, 0.5, 3);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // README-START
            var result = Hpo.on(train, validation).test(test)        // Dataset: features and integer labels
                    .model(new Mlp(64, new int[] {50}, 10, Mlp.Activation.TANH, 1))
                    .tune(WeightDecay.perWeight(-4))                  // Σ exp(λ_j) w_j², one λ per weight
                    .tune(DropoutRates.startingAt(0.2))               // relaxed-Bernoulli dropout per hidden layer
                    .hyperSteps(30).innerSteps(50).printProgress()
                    .run();                                           // implicit hypergradient, warm-started CG
            System.out.println(result.test().accuracy());
            // README-END
            assertEquals(TrainingSummary.Status.COMPLETED, result.summary().status());
        } finally {
            System.setOut(stdout);
        }
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf("// README-START") + 15, source.indexOf("// README-END"));
        for (String line : snippet.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README.md lacks: " + line.strip());
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("hyper-step  30/30"), captured.toString(StandardCharsets.UTF_8));
    }
}
