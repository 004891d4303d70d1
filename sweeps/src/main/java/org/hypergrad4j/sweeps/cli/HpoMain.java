package org.hypergrad4j.sweeps.cli;

import java.io.PrintWriter;
import org.hypergrad4j.experiments.cli.Main;
import org.hypergrad4j.repro.cli.ReproCommand;

/** {@code bin/hpo}: the experiments module's command line with {@code repro} (papers-repro) and {@code sweep} added. */
public final class HpoMain {
    private HpoMain() {
    }

    /** Runs {@code hpo} with {@code repro} and {@code sweep}; returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Main.run(args, out, err, new ReproCommand(), new SweepCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
