package org.hypergrad4j.experiments.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.hypergrad4j.experiments.demo.DigitsWeightDecayDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code hpo} command line (picocli: subcommands, typed options, generated help). Bad input exits
 * with status 2 and a one-line reason; failures inside a run exit with status 1 and a one-line reason.
 */
@Command(name = "hpo", mixinStandardHelpOptions = true, version = "hypergrad4j 0.1.0",
        description = "Gradient-based hyperparameter optimisation on ND4J.",
        subcommands = {Main.Demo.class})
public final class Main implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("hpo: " + e.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("hpo: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Tune 640 per-weight decays of a softmax regression on the bundled digits by implicit differentiation.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--quick", description = "a few seconds' version (for CI)")
        boolean quick;

        @Option(names = "--hyper-steps", description = "outer iterations (default: ${DEFAULT-VALUE}, or 6 with --quick)")
        Integer hyperSteps;

        @Option(names = "--seed", description = "split and initialisation seed (default: ${DEFAULT-VALUE})", defaultValue = "42")
        long seed;

        @Override
        public Integer call() {
            DigitsWeightDecayDemo.Config base = quick ? DigitsWeightDecayDemo.Config.quick() : DigitsWeightDecayDemo.Config.defaults();
            DigitsWeightDecayDemo.Config config = new DigitsWeightDecayDemo.Config(hyperSteps == null ? base.hyperSteps() : hyperSteps,
                    base.innerSteps(), base.cgIterations(), base.initialLogDecay(), base.hyperLearningRate(), seed);
            new DigitsWeightDecayDemo(config).run(System.out);
            return 0;
        }
    }
}
