package org.hypergrad4j.sweeps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad specs and options through {@code hpo sweep}: one line on standard error, exit status 2, nothing started. */
class SweepCommandTest {
    @TempDir
    Path dir;

    private String refused(String yaml, String... extra) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[2 + extra.length];
        args[0] = "sweep";
        args[1] = spec.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        int status = HpoMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        String e = err.toString().strip();
        assertEquals(2, status, "exit status for " + e);
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        return e;
    }

    @Test
    void hpoHasTheSweepCommandBesideRunAndRepro() {
        StringWriter out = new StringWriter();
        assertEquals(0, HpoMain.run(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        String help = out.toString();
        assertTrue(help.contains("sweep") && help.contains("repro") && help.contains("run"), help);
        StringWriter sweepHelp = new StringWriter();
        assertEquals(0, HpoMain.run(new String[] {"sweep", "--help"}, new PrintWriter(sweepHelp, true), new PrintWriter(new StringWriter(), true)));
        assertTrue(sweepHelp.toString().contains("--master") && sweepHelp.toString().contains("--max-attempts"), sweepHelp.toString());
    }

    @Test
    void anUnknownExperimentGetsOneLine() throws Exception {
        String e = refused("name: x\nexperiment: wieght-decay\nseeds: 2\n");
        assertEquals("hpo: experiment: unknown experiment 'wieght-decay'; known: decay-search, stn-dropout, weight-decay.", e);
    }

    @Test
    void anUnknownSettingKeyGetsOneLine() throws Exception {
        String e = refused("name: x\nexperiment: weight-decay\ngrid: {step-size: [0.1, 0.2]}\nseeds: 2\n");
        assertTrue(e.startsWith("hpo: grid: unknown setting key 'step-size' for weight-decay; allowed: activation, batch-size"), e);
    }

    @Test
    void zeroSeedsGetOneLine() throws Exception {
        assertEquals("hpo: seeds must lie in [1, 1000], got 0.", refused("name: x\nexperiment: weight-decay\nseeds: 0\n"));
    }

    @Test
    void anUnwritableOutputPathGetsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        String e = refused("name: x\nexperiment: weight-decay\nseeds: 1\n", "--out", file.resolve("sweep").toString());
        assertTrue(e.startsWith("hpo: --out " + file.resolve("sweep") + ": cannot write there ("), e);
    }

    @Test
    void aSecondSweepIntoAFolderInUseIsRefusedInOneLine() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: x\nexperiment: weight-decay\nseeds: 1\n");
        Path out = Files.createDirectories(dir.resolve("busy"));
        try (var lock = org.hypergrad4j.experiments.results.RunLock.acquire(out)) {
            StringWriter err = new StringWriter();
            int status = HpoMain.run(new String[] {"sweep", spec.toString(), "--out", out.toString()}, new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true));
            assertEquals(1, status);
            String e = err.toString().strip();
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.startsWith("hpo: The run folder " + out + " is in use by process " + ProcessHandle.current().pid()), e);
        }
        assertFalse(Files.exists(out.resolve("tasks")), "nothing ran");
    }

    @Test
    void aMissingSpecAndBadAttemptsGetOneLine() throws Exception {
        StringWriter err = new StringWriter();
        int status = HpoMain.run(new String[] {"sweep", dir.resolve("none.yaml").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(2, status);
        assertEquals("hpo: The sweep spec " + dir.resolve("none.yaml") + " does not exist.", err.toString().strip());
        String e = refused("name: x\nexperiment: weight-decay\nseeds: 1\n", "--max-attempts", "0", "--out", dir.resolve("o").toString());
        assertEquals("hpo: --max-attempts must lie in [1, 100], got 0.", e);
    }
}
