package org.hypergrad4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    private static void assertOneLineReason(Outcome o, String fragment) {
        assertEquals(2, o.status(), o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, no stack trace: " + o.err());
        assertTrue(lines[0].startsWith("hpo: ") && lines[0].contains(fragment), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void unknownSubcommandExitsWithOneLineReason() {
        assertOneLineReason(run("train-everything"), "train-everything");
    }

    @Test
    void unknownOptionExitsWithOneLineReason() {
        assertOneLineReason(run("demo", "--fast"), "--fast");
    }

    @Test
    void badNumberExitsWithOneLineReason() {
        assertOneLineReason(run("demo", "--hyper-steps", "many"), "many");
    }

    @Test
    void negativeBudgetExitsWithOneLineReason() {
        assertOneLineReason(run("demo", "--hyper-steps", "-3"), "--hyper-steps must lie in [1, 100000], got -3");
    }

    @Test
    void helpListsTheDemo() {
        Outcome o = run("--help");
        assertEquals(0, o.status());
        assertTrue(o.out().contains("demo"), o.out());
    }
}
