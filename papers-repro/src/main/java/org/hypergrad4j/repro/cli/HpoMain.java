package org.hypergrad4j.repro.cli;

import java.io.PrintWriter;
import org.hypergrad4j.experiments.cli.Main;

/** {@code bin/hpo}: the experiments module's command line with the {@code repro} command added. */
public final class HpoMain {
    private HpoMain() {
    }

    /** Runs {@code hpo} with {@code repro}; returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Main.run(args, out, err, new ReproCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
