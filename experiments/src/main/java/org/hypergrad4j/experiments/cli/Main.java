package org.hypergrad4j.experiments.cli;

import org.hypergrad4j.experiments.internal.SummaryText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.hypergrad4j.experiments.demo.DigitsWeightDecayDemo;
import org.hypergrad4j.experiments.runner.Choices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code hpo} command line (picocli: subcommands, typed options, generated help). Exit status:
 * {@value #OK} success; {@value #FAILED} a failure inside a run (one-line reason); {@value #BAD_INPUT} bad input
 * (one-line reason, refused before any run folder is made); {@value #DIVERGED} the run diverged — its summary and
 * the plots of the hyper-steps that ran are written, with the last good state's scores.
 */
@Command(name = "hpo", mixinStandardHelpOptions = true, version = "hypergrad4j 0.1.0",
        description = "Gradient-based hyperparameter optimisation on ND4J.",
        subcommands = {Main.Demo.class, Main.ListExperiments.class, Main.Run.class, Main.Resume.class, Main.Summarise.class})
public final class Main implements Callable<Integer> {
    /** Exit status: success. */
    public static final int OK = 0;
    /** Exit status: a failure inside a run. */
    public static final int FAILED = 1;
    /** Exit status: bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit status: the run diverged (summary and plots written). */
    public static final int DIVERGED = 3;

    /** The options each experiment takes (by longest name); any other option given explicitly is refused. */
    static final java.util.Map<String, java.util.Set<String>> OPTIONS = java.util.Map.of(
            "weight-decay", java.util.Set.of("--dataset", "--data-dir", "--scope", "--solver", "--iterations", "--hyper-steps", "--inner-steps",
                    "--batch-size", "--initial-log-decay", "--inner-lr", "--outer-lr", "--seed", "--out", "--stop-after", "--seeds", "--hidden",
                    "--activation", "--hyper-batch-size", "--examples"),
            "decay-search", java.util.Set.of("--dataset", "--data-dir", "--inner-lr", "--seed", "--out", "--seeds", "--hidden", "--activation",
                    "--batch-size", "--examples", "--search", "--trials", "--steps-per-trial"),
            "stn-dropout", java.util.Set.of("--data-dir", "--seed", "--out", "--seeds", "--epochs"));

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /**
     * Runs the command line and returns the exit status (for tests), with {@code extraSubcommands} (picocli commands of
     * modules above this one, such as {@code repro}) added beside the built-in ones.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Object... extraSubcommands) {
        CommandLine cli = new CommandLine(new Main());
        for (Object sub : extraSubcommands) {
            cli.addSubcommand(sub);
        }
        // Choices by their labels ("per-weight", "fashion-mnist"), each refused with the allowed values.
        cli.registerConverter(Choices.DataSet.class, Choices.DataSet::of);
        cli.registerConverter(Choices.Scope.class, Choices.Scope::of);
        cli.registerConverter(Choices.Solver.class, Choices.Solver::of);
        cli.registerConverter(Choices.Search.class, Choices.Search::of);
        cli.registerConverter(Choices.Activation.class, Choices.Activation::of);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("hpo: " + e.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("hpo: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return e instanceof IllegalArgumentException ? BAD_INPUT : FAILED;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /** The experiments {@code run} knows, with one line each. */
    static final java.util.Map<String, String> EXPERIMENTS = new java.util.TreeMap<>(java.util.Map.of(
            "weight-decay", "softmax regression with global, per-layer or per-weight decay tuned by implicit differentiation",
            "decay-search", "the black-box baseline: one global decay by grid or Sobol random search, costed in training steps",
            "stn-dropout", "self-tuning network: 3 dropout rates of a Fashion-MNIST MLP tuned online, against a fixed-dropout grid"));

    /** The names of the experiments {@code run} knows (for commands of modules above this one, such as sweeps). */
    public static java.util.Set<String> experimentNames() {
        return java.util.Collections.unmodifiableSet(EXPERIMENTS.keySet());
    }

    /** The long option names (with their dashes) that {@code run EXPERIMENT} takes; empty for an unknown experiment. */
    public static java.util.Set<String> optionsOf(String experiment) {
        return OPTIONS.getOrDefault(experiment, java.util.Set.of());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments.")
    static final class ListExperiments implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            EXPERIMENTS.forEach((name, what) -> spec.commandLine().getOut().printf("%-14s %s%n", name, what));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run an experiment into a new folder under --out (config, provenance, metrics.csv, summary.json, plots, checkpoint).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", description = "the experiment (see: hpo list)")
        String experiment;

        @Option(names = "--dataset", description = "digits, breast-cancer, wine, iris or fashion-mnist (default: ${DEFAULT-VALUE})", defaultValue = "digits")
        Choices.DataSet dataset;

        @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: the Debian package's)")
        String dataDir;

        @Option(names = "--scope", description = "global, per-layer or per-weight (default: ${DEFAULT-VALUE})", defaultValue = "per-weight")
        Choices.Scope scope;

        @Option(names = "--solver", description = "cg, neumann, fixed-point, identity or exact (default: ${DEFAULT-VALUE})", defaultValue = "cg")
        Choices.Solver solver;

        @Option(names = "--iterations", description = "solver iterations or Neumann terms (default: ${DEFAULT-VALUE})", defaultValue = "20")
        int iterations;

        @Option(names = {"--hyper-steps", "--budget"}, description = "hyper-steps to run (default: ${DEFAULT-VALUE})", defaultValue = "30")
        int hyperSteps;

        @Option(names = "--inner-steps", description = "weight updates per hyper-step (default: ${DEFAULT-VALUE})", defaultValue = "50")
        int innerSteps;

        @Option(names = "--batch-size", description = "minibatch size, 0 for full batch (default: ${DEFAULT-VALUE})", defaultValue = "0")
        int batchSize;

        @Option(names = "--initial-log-decay", description = "initial λ (default: ${DEFAULT-VALUE})", defaultValue = "-4")
        double initialLogDecay;

        @Option(names = "--inner-lr", description = "SGD learning rate on the weights (default: ${DEFAULT-VALUE})", defaultValue = "0.1")
        double innerLr;

        @Option(names = "--outer-lr", description = "Adam learning rate on λ (default: ${DEFAULT-VALUE})", defaultValue = "0.1")
        double outerLr;

        @Option(names = "--seed", description = "split, initialisation and minibatch seed (default: ${DEFAULT-VALUE})", defaultValue = "0")
        long seed;

        @Option(names = "--out", description = "folder for run folders (default: ${DEFAULT-VALUE})", defaultValue = "runs")
        java.nio.file.Path out;

        @Option(names = "--stop-after", description = "stop after this many hyper-steps, leaving a run to continue with 'hpo resume'")
        int stopAfter;

        @Option(names = "--seeds", description = "repeat over this many seeds (seed, seed+1, ...) and report mean and 95%% CI (default: ${DEFAULT-VALUE})",
                defaultValue = "1")
        int seeds;

        @Option(names = "--hidden", split = ",", description = "weight-decay, decay-search: hidden layer widths of an MLP, e.g. 1300 or 1000,1000 (default: none, softmax regression)")
        java.util.List<Integer> hidden = new java.util.ArrayList<>();

        @Option(names = "--activation", description = "weight-decay, decay-search: relu, tanh or sigmoid (default: ${DEFAULT-VALUE})", defaultValue = "relu")
        Choices.Activation activation;

        @Option(names = "--hyper-batch-size", description = "weight-decay: training and validation examples per hypergradient, 0 for the whole sets (default: ${DEFAULT-VALUE})", defaultValue = "0")
        int hyperBatchSize;

        @Option(names = "--examples", description = "fashion-mnist: training images to load and split 50/25/25, at most 60000 (default: 6000)", defaultValue = "0")
        int examples;

        @Option(names = "--epochs", description = "stn-dropout: training epochs (default: the reduced scale's 30)")
        int epochs;

        @Option(names = "--search", description = "decay-search: grid or random (default: ${DEFAULT-VALUE})", defaultValue = "grid")
        Choices.Search search;

        @Option(names = "--trials", description = "decay-search: trials (default: ${DEFAULT-VALUE})", defaultValue = "10")
        int trials;

        @Option(names = "--steps-per-trial", description = "decay-search: training steps per trial (default: ${DEFAULT-VALUE})", defaultValue = "1500")
        int stepsPerTrial;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Every check that needs no data: bounds, and options that do not apply to the experiment. */
        private void validate() {
            for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
                if (!OPTIONS.get(experiment).contains(o.longestName())) {
                    String owners = OPTIONS.entrySet().stream().filter(e -> e.getValue().contains(o.longestName())).map(java.util.Map.Entry::getKey)
                            .sorted().collect(java.util.stream.Collectors.joining(", "));
                    throw new IllegalArgumentException(o.longestName() + " does not apply to " + experiment
                            + (owners.isEmpty() ? "" : " (it is an option of " + owners + ")") + ".");
                }
            }
            bound("--stop-after", stopAfter, 0, 1_000_000);
            bound("--seeds", seeds, 1, 1000);
            try {
                Math.addExact(seed, seeds - 1L);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("--seed " + seed + " with --seeds " + seeds + " overflows a 64-bit seed; use a smaller --seed.");
            }
            if (out.toString().isEmpty()) {
                throw new IllegalArgumentException("--out must name a folder, got an empty string.");
            }
            if (!experiment.equals("stn-dropout") && dataset != Choices.DataSet.FASHION_MNIST) {
                for (String o : java.util.List.of("--examples", "--data-dir")) {
                    if (matched(o)) {
                        throw new IllegalArgumentException(o + " applies to --dataset fashion-mnist only, not to " + dataset.label() + ".");
                    }
                }
            }
            switch (experiment) {
                case "weight-decay" -> {
                    bound("--hyper-steps", hyperSteps, 1, 1_000_000);
                    bound("--inner-steps", innerSteps, 1, 1_000_000);
                    if (!solver.takesIterations() && matched("--iterations")) {
                        throw new IllegalArgumentException("--iterations does not apply to --solver " + solver.label() + " (it takes no iterations).");
                    }
                    // The range of --iterations is checked, with its reason, by WeightDecayRun.Config.
                }
                case "decay-search" -> {
                    bound("--trials", trials, 1, 10_000);
                    bound("--steps-per-trial", stepsPerTrial, 1, 100_000_000);
                }
                default -> {
                    if (matched("--epochs")) {
                        bound("--epochs", epochs, 2, 1000, " (the first epoch is the warm-up, so at least one more is needed)");
                    }
                }
            }
        }

        private boolean matched(String option) {
            return spec.commandLine().getParseResult().hasMatchedOption(option);
        }

        private static void bound(String option, long value, long min, long max) {
            bound(option, value, min, max, "");
        }

        /** Refuses {@code value} outside {@code [min, max]}; {@code why} (empty or " (…)") says the reason for the bound. */
        private static void bound(String option, long value, long min, long max, String why) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must lie in [" + min + ", " + max + "]" + why + ", got " + value + ".");
            }
        }

        @Override
        public Integer call() {
            if (!EXPERIMENTS.containsKey(experiment)) {
                throw new IllegalArgumentException("Unknown experiment '" + experiment + "'; known: " + String.join(", ", EXPERIMENTS.keySet()) + ".");
            }
            validate();
            if (seeds > 1 && stopAfter > 0) {
                throw new IllegalArgumentException("--stop-after applies to a single run, not to --seeds " + seeds + ".");
            }
            double[] testAccuracy = new double[seeds];
            double[] validationLoss = new double[seeds];
            for (int k = 0; k < seeds; k++) {
                java.nio.file.Path folder;
                if (experiment.equals("stn-dropout")) {
                    var reduced = org.hypergrad4j.experiments.stn.FashionMnistStnDropout.Settings.reduced();
                    var settings = new org.hypergrad4j.experiments.stn.FashionMnistStnDropout.Settings(reduced.trainExamples(), reduced.validationExamples(),
                            reduced.testExamples(), reduced.hidden(), epochs > 0 ? epochs : reduced.epochs(), reduced.warmupEpochs(), reduced.batchSize(),
                            reduced.validationBatchSize(), reduced.trainSteps(), reduced.validationSteps(), reduced.weightLearningRate(), reduced.hyperLearningRate(), reduced.initialDropout(),
                            seed + k);
                    folder = org.hypergrad4j.experiments.stn.FashionMnistStnDropout.start(settings, dataDir == null ? null : java.nio.file.Path.of(dataDir), out,
                            System.out);
                } else if (experiment.equals("decay-search")) {
                    folder = org.hypergrad4j.experiments.runner.DecaySearchRun.start(new org.hypergrad4j.experiments.runner.DecaySearchRun.Config(
                            dataset, dataDir, search, trials, stepsPerTrial, innerLr, seed + k, hidden, activation, batchSize, examples), out, System.out);
                } else {
                    var config = new org.hypergrad4j.experiments.runner.WeightDecayRun.Config(dataset, dataDir, scope, initialLogDecay, solver,
                            iterations, hyperSteps, innerSteps, batchSize, innerLr, outerLr, seed + k, hidden, activation, hyperBatchSize, examples);
                    folder = org.hypergrad4j.experiments.runner.WeightDecayRun.start(config, out, stopAfter, System.out);
                }
                var summary = org.hypergrad4j.experiments.results.RunDirectory.open(folder).summary();
                if (summary.isEmpty()) {
                    return OK;
                }
                if ("DIVERGED".equals(summary.get().get("status"))) {
                    return DIVERGED;
                }
                String prefix = experiment.equals("decay-search") ? "best_" : "";
                testAccuracy[k] = ((Number) summary.get().get(prefix + "test_accuracy")).doubleValue();
                validationLoss[k] = ((Number) summary.get().get(experiment.equals("decay-search") ? "best_val_loss" : "val_loss")).doubleValue();
            }
            if (seeds > 1) {
                System.out.printf("%nOver %d seeds: test accuracy %s; validation loss %s%n", seeds,
                        org.hypergrad4j.experiments.stats.SeedSummary.of(testAccuracy).format(4),
                        org.hypergrad4j.experiments.stats.SeedSummary.of(validationLoss).format(4));
            }
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue an interrupted run from its last checkpoint.")
    static final class Resume implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", description = "the run folder")
        java.nio.file.Path folder;

        @Override
        public Integer call() {
            org.hypergrad4j.experiments.runner.WeightDecayRun.resume(folder, System.out);
            var summary = org.hypergrad4j.experiments.results.RunDirectory.open(folder).summary();
            return summary.isPresent() && "DIVERGED".equals(summary.get().get("status")) ? DIVERGED : OK;
        }
    }

    @Command(name = "summarise", aliases = "summarize", mixinStandardHelpOptions = true,
            description = "Print the summary of a finished run from its folder.")
    static final class Summarise implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", description = "the run folder")
        java.nio.file.Path folder;

        @Override
        public Integer call() {
            System.out.print(SummaryText.render(folder));
            return 0;
        }
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

        @Option(names = "--out", description = "folder for run folders (default: ${DEFAULT-VALUE})", defaultValue = "runs")
        java.nio.file.Path out;

        @Override
        public Integer call() {
            if (out.toString().isEmpty()) {
                throw new IllegalArgumentException("--out must name a folder, got an empty string.");
            }
            DigitsWeightDecayDemo.Config base = quick ? DigitsWeightDecayDemo.Config.quick() : DigitsWeightDecayDemo.Config.defaults();
            DigitsWeightDecayDemo.Config config = new DigitsWeightDecayDemo.Config(hyperSteps == null ? base.hyperSteps() : hyperSteps,
                    base.innerSteps(), base.cgIterations(), base.initialLogDecay(), base.hyperLearningRate(), seed);
            new DigitsWeightDecayDemo(config).run(System.out, out);
            return OK;
        }
    }
}
