package org.hypergrad4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** The {@code hpo} command line in this JVM, with its output captured, for tests. */
public final class HpoCli {
    private HpoCli() {
    }

    /** Exit status, standard output (runs print their progress there) and standard error. */
    public record Outcome(int status, String out, String err) {
    }

    public static Outcome hpo(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args, new PrintWriter(System.out, true), new PrintWriter(err, true));
            return new Outcome(status, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** Asserts a non-zero exit with one line on standard error, {@code hpo: ...} containing {@code fragment}. */
    public static void assertOneLine(Outcome o, String fragment) {
        assertTrue(o.status() != 0, "exit status must be non-zero: " + o);
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, no stack trace: " + o.err());
        assertTrue(lines[0].startsWith("hpo: ") && lines[0].contains(fragment), "expected '" + fragment + "' in: " + o.err());
    }
}
