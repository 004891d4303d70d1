package org.hypergrad4j.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/hypergrad4j/readme/ReadmeExample.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void readmeShowsTheCompiledExample() throws IOException {
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf("// README-EXAMPLE-START") + "// README-EXAMPLE-START".length(),
                source.indexOf("        // README-EXAMPLE-END"));
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        for (String line : body.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README.md lacks the example line: " + line.strip());
        }
    }

    @Test
    void exampleRunsAndConverges() {
        HypergradientResult h = ReadmeExample.run();
        assertTrue(h.converged(), h.diagnosis());
        assertTrue(h.hypergradient().isFinite());
        assertTrue(h.hypergradient().norm2() > 0);
    }
}
