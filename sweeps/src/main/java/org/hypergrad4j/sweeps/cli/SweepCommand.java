package org.hypergrad4j.sweeps.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hypergrad4j.experiments.cli.Main;
import org.hypergrad4j.sweeps.Sweep;
import org.hypergrad4j.sweeps.SweepSpec;
import org.hypergrad4j.sweeps.TaskRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hpo sweep SPEC}: an experiment over settings × seeds plus baselines as Spark tasks; exit status 0 when every
 * task has results, 1 when some failed (the others' results and the table are kept), 2 for a bad spec or option.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run an experiment over a grid of settings, seeds and baselines as Apache Spark tasks (local mode by default); "
                + "write each task's run folder, then a table (CSV, Markdown) with means and 95% intervals and a figure.")
public final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the sweep spec (YAML or JSON), e.g. sweeps/examples/weight-decay.yaml")
    Path spec;

    @Option(names = "--master", description = "Spark master: local[N], local[*], spark://host:7077, yarn, … "
            + "(default: spark-submit's, else " + Sweep.DEFAULT_MASTER + ")")
    String master;

    @Option(names = "--out", description = "the sweep's folder: run folders under tasks/, the table beside them; on a cluster a URL every "
            + "executor reaches (hdfs://…, s3a://…) or a shared mount (default: runs/sweep-NAME)")
    String out;

    @Option(names = "--max-attempts", description = "attempts per task before it is reported as failed (default: ${DEFAULT-VALUE})",
            defaultValue = "" + Sweep.DEFAULT_ATTEMPTS)
    int maxAttempts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        SweepSpec s = SweepSpec.read(spec);
        // Under spark-submit the master comes from its --master (a system property); an explicit --master here wins.
        String m = master != null ? master : System.getProperty("spark.master", Sweep.DEFAULT_MASTER);
        String folder = out != null ? out : Path.of("runs", "sweep-" + s.name()).toString();
        Sweep.Outcome outcome = Sweep.run(s, new Sweep.Options(m, folder, maxAttempts, TaskRunner.COMMAND_LINE, System.out));
        return outcome.failures().isEmpty() ? Main.OK : Main.FAILED;
    }
}
