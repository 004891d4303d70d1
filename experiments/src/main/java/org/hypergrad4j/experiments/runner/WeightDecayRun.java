package org.hypergrad4j.experiments.runner;

import org.hypergrad4j.experiments.internal.ProgressLine;
import org.hypergrad4j.experiments.internal.SummaryText;
import org.hypergrad4j.data.Splits;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainerConfig;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.experiments.data.FashionMnist;
import org.hypergrad4j.experiments.results.Metrics;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.experiments.results.Provenance;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunLock;
import org.hypergrad4j.bilevel.train.Checkpoints;
import org.hypergrad4j.hypergrad.HypergradientAtWeights;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.DenseSolve;
import org.hypergrad4j.solvers.FixedPointIteration;
import org.hypergrad4j.solvers.IdentitySolve;
import org.hypergrad4j.solvers.LinearSolver;
import org.hypergrad4j.solvers.NeumannSeries;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code weight-decay} experiment: softmax regression with weight decay (global, per layer or per
 * weight, {@code exp(λ)}) tuned jointly with the weights by implicit differentiation, on a bundled data set
 * or Fashion-MNIST. Writes a run folder (config, provenance, metrics per hyper-step, summary, plots, and a
 * checkpoint after every hyper-step), from which {@link #resume} continues an interrupted run exactly.
 */
public final class WeightDecayRun {
    /** Metrics columns, one row per hyper-step. */
    public static final List<String> COLUMNS = List.of("hyper_step", "inner_steps", "train_loss", "val_loss", "val_accuracy",
            "test_loss", "test_accuracy", "hypergradient_norm", "products", "seconds", "lambda_mean", "lambda_min", "lambda_max");
    static final String CHECKPOINT = "checkpoint";

    /** The run's configuration, written to config.json and read back on resume. */
    public record Config(Choices.DataSet dataset, String dataDir, Choices.Scope scope, double initialLogDecay, Choices.Solver solver,
                         int iterations, int hyperSteps, int innerSteps, int batchSize, double innerLearningRate, double outerLearningRate,
                         long seed, List<Integer> hidden, Choices.Activation activation, int hyperBatchSize, int examples) {
        public Config {
            java.util.Objects.requireNonNull(dataset, "dataset");
            java.util.Objects.requireNonNull(scope, "scope");
            java.util.Objects.requireNonNull(solver, "solver");
            hidden = hidden == null ? List.of() : List.copyOf(hidden);
            activation = activation == null ? Choices.Activation.RELU : activation;
            checkModel(hidden, examples);
            if (hyperBatchSize < 0) {
                throw new IllegalArgumentException("--hyper-batch-size must be 0 (whole sets) or positive, got " + hyperBatchSize + ".");
            }
            if (iterations < (solver.iterative() ? 1 : 0) || iterations > 100_000) {
                throw new IllegalArgumentException("--iterations must lie in [" + (solver.iterative() ? 1 : 0) + ", 100000]"
                        + (solver.iterative() ? " (this solver needs at least one iteration)" : "") + ", got " + iterations + ".");
            }
            if (hyperSteps < 1) {
                throw new IllegalArgumentException("--hyper-steps (the budget in hyper-steps) must be at least 1, got " + hyperSteps + ".");
            }
            if (innerSteps < 1) {
                throw new IllegalArgumentException("--inner-steps must be at least 1, got " + innerSteps + ".");
            }
            if (batchSize < 0) {
                throw new IllegalArgumentException("--batch-size must be 0 (full batch) or positive, got " + batchSize + ".");
            }
            if (!(innerLearningRate > 0) || !(outerLearningRate > 0)) {
                throw new IllegalArgumentException("Learning rates must be positive, got " + innerLearningRate + " and " + outerLearningRate + ".");
            }
        }
    }

    private final Config config;
    private final BilevelProblem problem;


    /** The parts of a named data set (a stratified 50/25/25 split, standardised on the training part) (Fashion-MNIST: the first 6,000 training images, from {@code dataDir} if given). */
    public static Split parts(Choices.DataSet dataset, String dataDir, long seed) {
        return parts(dataset, dataDir, seed, 0);
    }

    /** Largest number of Fashion-MNIST training images ({@code --examples}). */
    public static final int MAX_EXAMPLES = 60_000;

    /** Validates the model options shared by the weight-decay and decay-search experiments. */
    public static void checkModel(List<Integer> hidden, int examples) {
        for (int h : hidden) {
            if (h < 1 || h > 100_000) {
                throw new IllegalArgumentException("--hidden widths must lie in [1, 100000], got " + hidden + ".");
            }
        }
        if (examples < 0 || examples > MAX_EXAMPLES) {
            throw new IllegalArgumentException("--examples must lie in [0, " + MAX_EXAMPLES + "] (0: 6000), got " + examples + ".");
        }
    }

    /** Softmax regression without hidden widths, else an MLP with them. */
    public static org.hypergrad4j.bilevel.model.Model model(int features, int classes, List<Integer> hidden, Choices.Activation activation,
                                                            long seed) {
        if (hidden.isEmpty()) {
            return Mlp.logisticRegression(features, classes, seed);
        }
        return new Mlp(features, hidden.stream().mapToInt(Integer::intValue).toArray(), classes, activation.activation(), seed);
    }

    /** As {@link #parts(String, String, long)} with {@code examples} Fashion-MNIST images (0: 6,000; other data sets ignore it). */
    public static Split parts(Choices.DataSet dataset, String dataDir, long seed, int examples) {
        int n = examples == 0 ? 6000 : examples;
        Dataset all = switch (dataset) {
            case DIGITS -> BundledDatasets.digits();
            case BREAST_CANCER -> BundledDatasets.breastCancer();
            case WINE -> BundledDatasets.wine();
            case IRIS -> BundledDatasets.iris();
            case FASHION_MNIST -> dataDir == null ? FashionMnist.train(n) : FashionMnist.load(Path.of(dataDir), FashionMnist.Part.TRAIN, n);
        };
        return Splits.standardised(all, 0.5, 0.25, 0.25, seed);
    }

    public WeightDecayRun(Config config) {
        this.config = config;
        Split parts = parts(config.dataset(), config.dataDir(), config.seed(), config.examples());
        Dataset train = parts.train();
        Dataset val = parts.validation();
        Dataset test = parts.test();
        WeightDecay decay = switch (config.scope()) {
            case GLOBAL -> WeightDecay.global(config.initialLogDecay());
            case PER_LAYER -> WeightDecay.perLayer(config.initialLogDecay());
            case PER_WEIGHT -> WeightDecay.perWeight(config.initialLogDecay());
        };
        this.problem = BilevelProblem.builder().model(model(train.numFeatures(), train.numClasses(), config.hidden(), config.activation(), config.seed()))
                .data(train, val).testData(test).tune(decay).dataType(DataType.FLOAT).build();
    }


    private HypergradientAtWeights method() {
        double alpha = config.innerLearningRate();
        LinearSolver solver = switch (config.solver()) {
            case CG -> new ConjugateGradient(config.iterations(), 1e-6);
            case NEUMANN -> new NeumannSeries(alpha, config.iterations());
            case FIXED_POINT -> new FixedPointIteration(alpha, config.iterations(), 1e-6);
            case IDENTITY -> new IdentitySolve(alpha);
            case EXACT -> new DenseSolve();
        };
        ImplicitHypergradient m = new ImplicitHypergradient(solver);
        return config.solver() == Choices.Solver.CG ? m.warmStarting() : m;
    }

    private JointTrainer trainer() {
        TrainerConfig tc = TrainerConfig.of(config.hyperSteps(), config.innerSteps()).withBatchSize(config.batchSize())
                .withSeed(config.seed()).withBounds(MIN_LOG_DECAY, maxLogDecay(config.innerLearningRate()))
                .withHyperBatchSize(config.hyperBatchSize());
        return new JointTrainer(problem, new Sgd(config.innerLearningRate(), 0.9, false), new Adam(config.outerLearningRate()), method(), tc)
                .evaluateEvery(1).recordSettings(config);
    }

    /**
     * The largest raw log decay: {@code min(6, log(1/α))} (and at least {@code MIN_LOG_DECAY + 1}) for inner learning rate {@code α}, so that the
     * curvature a decay adds, {@code exp(λ)}, times the step never exceeds 1 — SGD with momentum μ diverges
     * along a weight once {@code α·exp(λ)} passes {@code 2(1 + μ)}, which per-weight decays otherwise reach
     * (measured: a million-decay Fashion-MNIST run exploded when max λ passed 5.2 at α = 0.02).
     */
    public static double maxLogDecay(double innerLearningRate) {
        // Above the lower bound all the same: a learning rate past e¹¹ diverges on the data term alone.
        return Math.max(MIN_LOG_DECAY + 1, Math.min(6.0, Math.log(1.0 / innerLearningRate)));
    }

    /** The smallest raw log decay. */
    public static final double MIN_LOG_DECAY = -12;

    /**
     * Starts a run in a new folder under {@code outputRoot} and returns it. The data are loaded and the problem
     * built before the folder is made, so a refused input leaves nothing behind; the folder is locked while the
     * run writes it.
     */
    public static Path start(Config config, Path outputRoot, int stopAfter, PrintStream out) {
        WeightDecayRun run = new WeightDecayRun(config);
        JointTrainer trainer = run.trainer();
        RunDirectory dir = RunDirectory.createUnique(outputRoot, "weight-decay", config.seed(), Instant.now());
        try (RunLock lock = dir.lock()) {
            dir.writeConfig(config);
            dir.writeProvenance(Provenance.capture(config.seed()));
            try (MetricsWriter metrics = dir.newMetrics(COLUMNS)) {
                run.execute(dir, trainer, metrics, stopAfter, out);
            }
        }
        return dir.path();
    }

    /**
     * Continues the run in {@code folder} from its newest intact checkpoint and finishes it: the metrics rows up to
     * the checkpoint are kept as they are, later ones (written before an interruption) are recomputed, and the
     * wall time carries over. Refuses a folder another process writes, a finished run, a run of another experiment
     * and any change to the recorded configuration.
     */
    public static Path resume(Path folder, PrintStream out) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The run folder " + folder + " does not exist.");
        }
        try (RunLock lock = RunLock.acquire(folder)) {
            if (!Files.exists(folder.resolve(RunDirectory.CONFIG))) {
                throw new IllegalArgumentException("The run in " + folder + " has no " + RunDirectory.CONFIG
                        + ": it was stopped before it started, so there is nothing to continue; start it again.");
            }
            Config config = RunDirectory.readConfig(folder, "weight-decay", Config.class);
            if (Files.exists(folder.resolve(RunDirectory.SUMMARY))) {
                throw new IllegalArgumentException("The run in " + folder + " is already finished; nothing to resume.");
            }
            Path checkpoint = folder.resolve(CHECKPOINT);
            WeightDecayRun run = new WeightDecayRun(config);
            JointTrainer trainer = run.trainer();
            RunDirectory dir = RunDirectory.create(folder.toAbsolutePath().getParent(), folder.getFileName().toString(), RunDirectory.IfExists.RESUME);
            if (!Files.exists(folder.resolve(RunDirectory.PROVENANCE))) {
                dir.writeProvenance(Provenance.capture(config.seed()));
            }
            if (Checkpoints.exists(checkpoint)) {
                trainer.resumeFrom(checkpoint);
                for (String note : trainer.resumeNotes()) {
                    out.println("Skipped a damaged checkpoint: " + note);
                }
            } else {
                // Stopped before its first checkpoint: nothing is lost by starting over in the same folder.
                out.println("No committed checkpoint in " + folder.getFileName() + ": the run stopped during its first hyper-step; starting it over.");
                restartMetrics(dir.path().resolve(RunDirectory.METRICS));
            }
            try (MetricsWriter metrics = dir.continueMetrics(COLUMNS, "hyper_step", trainer.hyperStepsDone())) {
                out.printf("Resuming %s after hyper-step %d of %d.%n", folder.getFileName(), trainer.hyperStepsDone(), config.hyperSteps());
                run.execute(dir, trainer, metrics, 0, out);
            }
        }
        return folder;
    }

    /** Rewrites the metrics file as its header alone (crash-safely, by an atomic replace). */
    private static void restartMetrics(Path file) {
        org.hypergrad4j.bilevel.io.DurableFiles.replace(file, (String.join(",", COLUMNS) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void execute(RunDirectory dir, JointTrainer trainer, MetricsWriter metrics, int stopAfter, PrintStream out) {
        trainer.checkpointTo(dir.path().resolve(CHECKPOINT));
        ProgressLine progress = new ProgressLine(out, config.hyperSteps());
        JointTrainer.HyperStep[] last = new JointTrainer.HyperStep[1];
        trainer.addListener(new TrainingListener<JointTrainer.HyperStep>() {
            @Override
            public void onUnit(JointTrainer.HyperStep e) {
                last[0] = e;
            }

            @Override
            public void onEvaluation(EvaluationEvent e) {
                double[] l = problem.hyperparameters().toDoubleArray();
                double mean = java.util.Arrays.stream(l).average().orElse(Double.NaN);
                double min = java.util.Arrays.stream(l).min().orElse(Double.NaN);
                double max = java.util.Arrays.stream(l).max().orElse(Double.NaN);
                JointTrainer.HyperStep h = last[0];
                metrics.write(e.unit(), h.innerSteps(), e.train().loss(), e.validation().loss(), e.validation().accuracy(),
                        e.test().loss(), e.test().accuracy(), h.hypergradientNorm(), h.products(), h.seconds(), mean, min, max);
                progress.update((int) e.unit(), String.format("train %.4f | val %.4f (%.1f%%) | ‖∇λ‖ %.2e | λ mean %.2f [%.1f, %.1f]",
                        e.train().loss(), e.validation().loss(), 100 * e.validation().accuracy(), h.hypergradientNorm(), mean, min, max));
            }

            @Override
            public void onRecovery(Recovery r) {
                out.println("Stopped: " + r.message());
            }
        });
        TrainingSummary summary = stopAfter > 0 ? trainer.runFor(Math.max(0, stopAfter - trainer.hyperStepsDone())) : trainer.run();
        if (summary.status() == TrainingSummary.Status.PAUSED) {
            out.printf("Stopped after hyper-step %d as asked; continue with: hpo resume %s%n", trainer.hyperStepsDone(), dir.path());
            return;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", "weight-decay");
        s.put("status", summary.status().name());
        s.put("message", summary.message());
        s.put("hyper_steps", summary.unitsDone());
        s.put("inner_steps", trainer.innerStepsDone());
        s.put("seconds", summary.totalSeconds());
        for (BilevelProblem.Part part : BilevelProblem.Part.values()) {
            BilevelProblem.Evaluation ev = problem.evaluate(part);
            s.put(part.key() + "_loss", ev.loss());
            s.put(part.key() + "_accuracy", ev.accuracy());
        }
        double[] l = problem.hyperparameters().toDoubleArray();
        s.put("lambda_mean", java.util.Arrays.stream(l).average().orElse(Double.NaN));
        s.put("lambda_min", java.util.Arrays.stream(l).min().orElse(Double.NaN));
        s.put("lambda_max", java.util.Arrays.stream(l).max().orElse(Double.NaN));
        // Plots first: a summary on disk means the run's record is complete.
        writePlots(dir, l);
        dir.writeSummary(s);
        out.print(SummaryText.render(dir.path()));
    }

    /** The plots of the hyper-steps that ran (none when no hyper-step was kept, as after an immediate divergence). */
    private static void writePlots(RunDirectory dir, double[] lambda) {
        Metrics m = Metrics.read(dir.path().resolve(RunDirectory.METRICS));
        if (m.rowCount() == 0) {
            return;
        }
        double[] x = m.column("hyper_step");
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("train", m.column("train_loss"));
        losses.put("validation", m.column("val_loss"));
        losses.put("test", m.column("test_loss"));
        Plots.lossCurves(dir.file("losses.png"), "Losses over hyper-steps", x, losses);
        Map<String, double[]> lam = new LinkedHashMap<>();
        lam.put("mean λ", m.column("lambda_mean"));
        lam.put("min λ", m.column("lambda_min"));
        lam.put("max λ", m.column("lambda_max"));
        Plots.trajectories(dir.file("hyperparameters.png"), "Log weight decay λ over hyper-steps", x, lam);
        if (lambda.length > 1) {
            Plots.histogram(dir.file("lambda-histogram.png"), "Learned λ", lambda, Math.min(40, lambda.length));
        }
    }

}
