package org.hypergrad4j.sweeps;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.List;

/**
 * Runs one task's command line ({@code hpo run EXPERIMENT --option value … --seed S --out FOLDER}) and returns its
 * exit status (0 success, 1 failure, 2 bad input, 3 diverged). Spark ships it to the executors, so it is
 * serialisable. The default, {@link #COMMAND_LINE}, is {@code hpo}'s own command line: the sweep runs exactly what a
 * user would type, with the same validation and run folders.
 */
@FunctionalInterface
public interface TaskRunner extends Serializable {
    int run(List<String> arguments, PrintWriter out, PrintWriter err);

    /** {@code hpo}'s command line ({@link org.hypergrad4j.experiments.cli.Main}). */
    TaskRunner COMMAND_LINE = (arguments, out, err) -> org.hypergrad4j.experiments.cli.Main.run(arguments.toArray(String[]::new), out, err);
}
