package org.hypergrad4j.experiments.runner;

import org.hypergrad4j.experiments.internal.ProgressLine;
import org.hypergrad4j.experiments.internal.SummaryText;
import org.hypergrad4j.data.Split;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.hyper.Constraint;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.experiments.baselines.Budget;
import org.hypergrad4j.experiments.baselines.Evaluation;
import org.hypergrad4j.experiments.baselines.GridSearch;
import org.hypergrad4j.experiments.baselines.Objective;
import org.hypergrad4j.experiments.baselines.RandomSearch;
import org.hypergrad4j.experiments.baselines.Search;
import org.hypergrad4j.experiments.baselines.SearchResult;
import org.hypergrad4j.experiments.baselines.SearchSpace;
import org.hypergrad4j.experiments.baselines.Trial;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.experiments.results.Provenance;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code decay-search} experiment: the black-box baseline for {@code weight-decay} on the same data and
 * model — one global decay coefficient {@code c ∈ [e⁻¹⁰, e⁻¹]} (log-uniform) chosen by grid search or
 * Sobol random search, each trial trained from scratch with the same SGD for {@code stepsPerTrial} steps and
 * scored by its validation loss. Costed in training steps, so it can be compared with gradient-based
 * tuning at equal cost.
 */
public final class DecaySearchRun {
    public static final List<String> COLUMNS = List.of("trial", "log_decay", "val_loss", "test_loss", "test_accuracy",
            "cumulative_steps", "best_val_loss");

    /** The search's configuration, written to config.json. */
    public record Config(Choices.DataSet dataset, String dataDir, Choices.Search search, int trials, int stepsPerTrial, double innerLearningRate,
                         long seed, List<Integer> hidden, Choices.Activation activation, int batchSize, int examples) {
        public Config {
            java.util.Objects.requireNonNull(dataset, "dataset");
            java.util.Objects.requireNonNull(search, "search");
            hidden = hidden == null ? List.of() : List.copyOf(hidden);
            activation = activation == null ? Choices.Activation.RELU : activation;
            WeightDecayRun.checkModel(hidden, examples);
            if (batchSize < 0) {
                throw new IllegalArgumentException("--batch-size must be 0 (full batch) or positive, got " + batchSize + ".");
            }
            if (trials < 1) {
                throw new IllegalArgumentException("--trials must be at least 1, got " + trials + ".");
            }
            if (stepsPerTrial < 1) {
                throw new IllegalArgumentException("--steps-per-trial must be at least 1, got " + stepsPerTrial + ".");
            }
            if (!(innerLearningRate > 0)) {
                throw new IllegalArgumentException("The learning rate must be positive, got " + innerLearningRate + ".");
            }
        }
    }

    private DecaySearchRun() {
    }

    /** Runs the search into a new run folder under {@code outputRoot}; returns the folder. */
    public static Path start(Config config, Path outputRoot, PrintStream out) {
        Split parts = WeightDecayRun.parts(config.dataset(), config.dataDir(), config.seed(), config.examples());
        if (config.batchSize() > parts.train().numExamples()) {
            throw new IllegalArgumentException("--batch-size " + config.batchSize() + " exceeds the " + parts.train().numExamples() + " training examples.");
        }
        RunDirectory dir = RunDirectory.createUnique(outputRoot, "decay-search", config.seed(), Instant.now());
        try (var lock = dir.lock()) {
            return execute(config, parts, dir, out);
        }
    }

    private static Path execute(Config config, Split parts, RunDirectory dir, PrintStream out) {
        dir.writeConfig(config);
        dir.writeProvenance(Provenance.capture(config.seed()));
        SearchSpace space = SearchSpace.builder().logUniform("decay", Math.exp(-10), Math.exp(-1)).build();
        Search search = config.search() == Choices.Search.GRID ? new GridSearch(space, config.trials())
                : new RandomSearch(space, config.trials(), new RandomSearch.Sobol());
        ProgressLine progress = new ProgressLine(out, config.trials());
        int[] done = {0};
        Objective objective = (point, budget) -> {
            double decay = point.get("decay");
            BilevelProblem p = BilevelProblem.builder().model(WeightDecayRun.model(parts.train().numFeatures(), parts.train().numClasses(),
                            config.hidden(), config.activation(), config.seed()))
                    .data(parts.train(), parts.validation()).testData(parts.test())
                    .tune(new WeightDecay(WeightDecay.Scope.GLOBAL, decay, Constraint.log())).dataType(DataType.FLOAT).build();
            p.trainWeights(new Sgd(config.innerLearningRate(), 0.9, false), budget, config.batchSize(), config.seed());
            BilevelProblem.Evaluation val = p.evaluate(BilevelProblem.Part.VALIDATION);
            BilevelProblem.Evaluation test = p.evaluate(BilevelProblem.Part.TEST);
            progress.update(++done[0], String.format("log decay %.2f | val %.4f (%.1f%%)", Math.log(decay), val.loss(), 100 * val.accuracy()));
            return new Evaluation(val.loss(), budget, Map.of("test_loss", test.loss(), "test_accuracy", test.accuracy()));
        };
        SearchResult result = search.run(objective, Budget.perTrial(config.stepsPerTrial()));
        double best = Double.POSITIVE_INFINITY;
        try (MetricsWriter metrics = dir.newMetrics(COLUMNS)) {
            for (Trial t : result.trials()) {
                best = Math.min(best, t.evaluation().validationLoss());
                metrics.write(t.index(), Math.log(t.point().get("decay")), t.evaluation().validationLoss(),
                        t.evaluation().testMetrics().get("test_loss"), t.evaluation().testMetrics().get("test_accuracy"),
                        t.cumulativeSteps(), best);
            }
        }
        Trial winner = result.best().orElseThrow(() -> new IllegalStateException("Every trial of the search failed."));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", "decay-search");
        s.put("message", config.search().label() + " search over " + result.trials().size() + " global decays");
        s.put("best_log_decay", Math.log(winner.point().get("decay")));
        s.put("best_val_loss", winner.evaluation().validationLoss());
        s.put("best_test_loss", winner.evaluation().testMetrics().get("test_loss"));
        s.put("best_test_accuracy", winner.evaluation().testMetrics().get("test_accuracy"));
        s.put("total_steps", result.totalSteps());
        dir.writeSummary(s);
        double[] steps = result.bestSoFar().steps().length == 0 ? new double[0]
                : java.util.Arrays.stream(result.bestSoFar().steps()).asDoubleStream().toArray();
        Plots.lossCurves(dir.file("best-so-far.png"), "Best validation loss against training steps", steps,
                Map.of("best validation loss", result.bestSoFar().bestLoss()));
        out.print(SummaryText.render(dir.path()));
        return dir.path();
    }
}
