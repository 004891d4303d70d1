package org.hypergrad4j.repro.mackay2019;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.experiments.baselines.Budget;
import org.hypergrad4j.experiments.baselines.Evaluation;
import org.hypergrad4j.experiments.baselines.GridSearch;
import org.hypergrad4j.experiments.baselines.Objective;
import org.hypergrad4j.experiments.baselines.RandomSearch;
import org.hypergrad4j.experiments.baselines.Search;
import org.hypergrad4j.experiments.baselines.SearchResult;
import org.hypergrad4j.experiments.baselines.SearchSpace;
import org.hypergrad4j.experiments.baselines.Trial;
import org.hypergrad4j.experiments.data.FashionMnist;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypernets.stn.ImageAugmentation;
import org.hypergrad4j.hypernets.stn.StnConfig;
import org.hypergrad4j.hypernets.stn.StnHyperparameter;
import org.hypergrad4j.hypernets.stn.StnHyperparameters;
import org.hypergrad4j.hypernets.stn.StnNetwork;
import org.hypergrad4j.hypernets.stn.StnTrainer;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.FashionMnistReproduction;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Self-tuning networks (MacKay et al., ICLR 2019) on a Fashion-MNIST CNN: four dropout rates (input, after each
 * conv block, on the fully connected layer) and cutout's length and number of holes (discrete) tuned online by an
 * STN, against grid and random search over the same six hyperparameters at equal cost.
 *
 * <p>Network: {@code 1×28×28 → dropout → conv 16 (5×5, ReLU) → max-pool 2 → channel dropout → conv 32 (5×5, ReLU) →
 * max-pool 2 → channel dropout → fc (ReLU) → dropout → 10}, every layer a best-response layer; after the conv blocks
 * whole feature maps are dropped, as the STN authors' CNN code does ({@code dropout_2d}). Cutout acts on the input
 * image of each training example with that example's perturbed length and holes.
 *
 * <p>Cost, in training-step equivalents: the STN's cost is {@code C = warm-up steps + cycles·T_train + cycles·T_valid},
 * one hyper step counted as one training step (same network, same batch size: one forward and one backward pass).
 * Each search gets the same total {@code C}: {@code trials} trials of {@code ⌊C / trials⌋} training steps each, the
 * same network (best-response layers with the hyperparameters held fixed), the same initial weights and minibatches.
 * A search's result is its trial of lowest validation loss; the test set is read only to report.
 */
public final class StnCnn implements FashionMnistReproduction {
    /** The four dropout sites, in the network's order. */
    public static final List<String> DROPOUT_SITES = List.of("dropout.input", "dropout.conv1", "dropout.conv2", "dropout.fc");
    public static final String CUTOUT_LENGTH = "cutout.length";
    public static final String CUTOUT_HOLES = "cutout.holes";

    @Override
    public String name() {
        return "stn-cnn";
    }

    @Override
    public String title() {
        return "MacKay et al. (2019): STN-tuned dropout and cutout of a Fashion-MNIST CNN against grid and random search at equal cost";
    }

    /**
     * One scale of the experiment.
     *
     * @param trainExamples      first images of the training file, for training
     * @param validationExamples the next images, held out for the hyper steps and for choosing a search's best trial
     * @param testExamples       first images of the test file
     * @param fcUnits            units of the fully connected hidden layer
     * @param warmupSteps        training steps before the first hyper step
     * @param cycles             STN cycles of {@code trainSteps} training steps and {@code validationSteps} hyper steps
     * @param batchSize          training and validation batch size (equal, so that a hyper step costs a training step)
     * @param maxDropout         upper end of every dropout rate's range (lower end 0), for the STN and the searches
     * @param maxLength          cutout length ranges over {@code 0 … maxLength} pixels
     * @param maxHoles           cutout holes range over {@code 0 … maxHoles}
     * @param initialDropout     the STN's starting rate at every site
     * @param initialLength      the STN's starting cutout length
     * @param initialHoles       the STN's starting number of holes
     * @param trials             trials of each search
     * @param evaluateEvery      the STN's test loss is recorded every this many cycles (for the figure; not counted as cost)
     */
    public record Settings(int trainExamples, int validationExamples, int testExamples, int fcUnits, int warmupSteps, int cycles, int trainSteps,
                           int validationSteps, int batchSize, double weightLearningRate, double hyperLearningRate, double maxDropout, int maxLength,
                           int maxHoles, double initialDropout, int initialLength, int initialHoles, int trials, int evaluateEvery) {
        public Settings {
            if (trainExamples < batchSize || validationExamples < batchSize || testExamples < 1 || fcUnits < 1 || warmupSteps < 0 || cycles < 1
                    || trainSteps < 1 || validationSteps < 1 || trials < 1 || evaluateEvery < 1) {
                throw new IllegalArgumentException("Invalid STN CNN settings (batches must fit their sets, every count be positive): " + this);
            }
            if (!(maxDropout > 0 && maxDropout <= StnHyperparameter.MAX_DROPOUT) || !(initialDropout >= 0 && initialDropout <= maxDropout)) {
                throw new IllegalArgumentException("Dropout range [0, " + maxDropout + "] must lie in [0, " + StnHyperparameter.MAX_DROPOUT
                        + "] and hold the initial rate " + initialDropout + ".");
            }
            if (maxLength < 1 || maxHoles < 1 || initialLength < 0 || initialLength > maxLength || initialHoles < 0 || initialHoles > maxHoles) {
                throw new IllegalArgumentException("Cutout ranges 0…" + maxLength + " (length) and 0…" + maxHoles + " (holes) must hold the initial "
                        + initialLength + " and " + initialHoles + ".");
            }
            if (costSteps(warmupSteps, cycles, trainSteps, validationSteps) / trials < 1) {
                throw new IllegalArgumentException("The STN's cost cannot be shared among " + trials + " trials of at least one step.");
            }
        }

        private static long costSteps(int warmup, int cycles, int trainSteps, int validationSteps) {
            return warmup + (long) cycles * (trainSteps + validationSteps);
        }

        /** Training steps of the STN: warm-up plus {@code cycles·T_train}. */
        public long stnTrainingSteps() {
            return warmupSteps + (long) cycles * trainSteps;
        }

        /** Hyper steps of the STN: {@code cycles·T_valid}. */
        public long stnHyperSteps() {
            return (long) cycles * validationSteps;
        }

        /** The STN's cost {@code C} in training-step equivalents: training steps plus hyper steps. */
        public long cost() {
            return costSteps(warmupSteps, cycles, trainSteps, validationSteps);
        }

        /** Training steps of one search trial: {@code ⌊C / trials⌋}. */
        public long trialSteps() {
            return cost() / trials;
        }
    }

    /** The settings of {@code scale}. */
    public static Settings settings(Scale scale) {
        return switch (scale) {
            // 300 training images, batch 16: 18 training steps and 6 hyper steps, two trials a search; the direction only.
            case SMOKE -> new Settings(300, 50, 100, 32, 6, 6, 2, 1, 16, 1e-3, 0.05, 0.8, 16, 4, 0.05, 4, 1, 2, 3);
            // 200 training images, batch 25: 16 warm-up steps (two epochs), then 40 cycles of 2 training steps and 1 hyper step
            // (96 training steps, 12 epochs: the unregularised CNN overfits 200 images by then, which is when the paper's rates
            // rise; with 400 images and 6 epochs it did not, and the STN lowered every rate); each search 4 trials of 34 steps.
            // Sized so that three seeds, both searches and the retraining run in about a quarter of an hour on two cores
            // (a training step of this network costs about 4 ms of CPU an image here).
            case REDUCED -> new Settings(200, 200, 500, 64, 16, 40, 2, 1, 25, 1e-3, 0.05, 0.8, 16, 4, 0.05, 4, 1, 4, 10);
            case FULL -> throw new IllegalArgumentException("stn-cnn offers the smoke and reduced scales; the paper's full runs (hundreds of epochs"
                    + " of 60,000 images) are out of reach on two cores.");
        };
    }

    /** One trained network: test and validation evaluation, its cost and its final hyperparameters. */
    public record Result(String name, BilevelProblem.Evaluation test, BilevelProblem.Evaluation validation, long cost, Map<String, Double> values) {
    }

    /** The STN's run: its result, its schedule, and its test loss at recorded costs (for the figure). */
    public record StnRun(Result result, List<StnTrainer.ScheduleEntry> schedule, double[] costs, double[] testLosses) {
    }

    /** A search's trials, and its best trial (lowest validation loss) as a result. */
    public record SearchRun(String name, SearchResult search, Result best) {
        /** The test loss of the trial of lowest validation loss among the first {@code i + 1} trials, for each {@code i}. */
        public double[] bestSoFarTestLoss() {
            List<Trial> trials = search.trials();
            double[] out = new double[trials.size()];
            double bestValidation = Double.POSITIVE_INFINITY;
            double test = Double.NaN;
            for (int i = 0; i < out.length; i++) {
                Evaluation e = trials.get(i).evaluation();
                if (e.succeeded() && e.validationLoss() < bestValidation) {
                    bestValidation = e.validationLoss();
                    test = e.testMetrics().get("test_loss");
                }
                out[i] = test;
            }
            return out;
        }

        public double[] cumulativeSteps() {
            return search.trials().stream().mapToDouble(Trial::cumulativeSteps).toArray();
        }
    }

    /** Loads the first {@code train + validation} training images (split in that order) and the first test images. */
    public static Split load(Settings s, Path dataDirectory) {
        return FashionMnist.leadingSplit(dataDirectory, s.trainExamples(), s.validationExamples(), s.testExamples());
    }

    /** The search space of the baselines: the STN's six hyperparameters over the same ranges. */
    public static SearchSpace space(Settings s) {
        SearchSpace.Builder b = SearchSpace.builder();
        for (String site : DROPOUT_SITES) {
            b.uniform(site, 0.0, s.maxDropout());
        }
        return b.intRange(CUTOUT_LENGTH, 0, s.maxLength()).intRange(CUTOUT_HOLES, 0, s.maxHoles()).build();
    }

    /**
     * The grid of {@code trials} points: two values (the ends of the range) on the first {@code log2(trials)} of fc
     * dropout, cutout length, input dropout, cutout holes, conv-2 dropout, conv-1 dropout, and the middle of the range on
     * the others. A six-dimensional grid of two values per axis needs 64 trials; at equal cost it cannot have them.
     */
    public static GridSearch grid(Settings s) {
        List<String> order = List.of(DROPOUT_SITES.get(3), CUTOUT_LENGTH, DROPOUT_SITES.get(0), CUTOUT_HOLES, DROPOUT_SITES.get(2), DROPOUT_SITES.get(1));
        int doubled = 31 - Integer.numberOfLeadingZeros(s.trials());
        SearchSpace space = space(s);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String n : space.names()) {
            counts.put(n, order.indexOf(n) < doubled ? 2 : 1);
        }
        return new GridSearch(space, counts);
    }

    private static StnHyperparameters hyperparameters(Settings s, double initialScale) {
        List<StnHyperparameter> specs = new ArrayList<>();
        for (String site : DROPOUT_SITES) {
            specs.add(StnHyperparameter.linear(site, 0.0, s.maxDropout(), s.initialDropout()));
        }
        specs.add(StnHyperparameter.discrete(CUTOUT_LENGTH, 0, s.maxLength(), s.initialLength()));
        specs.add(StnHyperparameter.discrete(CUTOUT_HOLES, 0, s.maxHoles(), s.initialHoles()));
        return new StnHyperparameters(specs, initialScale);
    }

    private static StnNetwork network(StnHyperparameters hp, Settings s, long seed) {
        return StnNetwork.builder(FashionMnist.PIXELS, hp).dataType(DataType.FLOAT).seed(seed).imageShape(1, FashionMnist.ROWS, FashionMnist.COLUMNS)
                .dropout(DROPOUT_SITES.get(0)).conv(16, 5, StnNetwork.Activation.RELU).maxPool(2).channelDropout(DROPOUT_SITES.get(1))
                .conv(32, 5, StnNetwork.Activation.RELU).maxPool(2).channelDropout(DROPOUT_SITES.get(2)).linear(s.fcUnits(), StnNetwork.Activation.RELU)
                .dropout(DROPOUT_SITES.get(3)).output(FashionMnist.NUM_CLASSES).build();
    }

    private static ImageAugmentation cutout() {
        return ImageAugmentation.forImages(1, FashionMnist.ROWS, FashionMnist.COLUMNS).cutout(CUTOUT_LENGTH, CUTOUT_HOLES);
    }

    /** Trains the STN of {@code s} with seed {@code seed}. */
    public static StnRun runStn(Settings s, Split data, long seed) {
        StnHyperparameters hp = hyperparameters(s, StnHyperparameters.DEFAULT_INITIAL_SCALE);
        StnConfig config = StnConfig.defaults(s.cycles()).withWarmup(s.warmupSteps()).withSteps(s.trainSteps(), s.validationSteps())
                .withBatchSizes(s.batchSize(), s.batchSize()).withSeed(seed);
        StnTrainer stn = new StnTrainer(network(hp, s, seed), data.train(), data.validation(), data.test(), new Adam(s.weightLearningRate()),
                new Adam(s.hyperLearningRate()), config).withAugmentation(cutout());
        List<double[]> curve = new ArrayList<>();
        stn.addListener(new TrainingListener<StnTrainer.ScheduleEntry>() {
            @Override
            public void onUnit(StnTrainer.ScheduleEntry e) {
                if ((e.cycle() + 1) % s.evaluateEvery() == 0 && e.cycle() + 1 < s.cycles()) {
                    curve.add(new double[]{s.warmupSteps() + (e.cycle() + 1.0) * (s.trainSteps() + s.validationSteps()), stn.evaluate(data.test()).loss()});
                }
            }
        });
        TrainingSummary summary = stn.run();
        if (summary.status() != TrainingSummary.Status.COMPLETED) {
            throw new IllegalStateException("The STN run (seed " + seed + ") did not complete: " + summary.message());
        }
        Result r = new Result("STN", stn.evaluate(data.test()), stn.evaluate(data.validation()), s.cost(), hp.values());
        curve.add(new double[]{s.cost(), r.test().loss()});
        return new StnRun(r, stn.schedule(), curve.stream().mapToDouble(p -> p[0]).toArray(), curve.stream().mapToDouble(p -> p[1]).toArray());
    }

    /**
     * The searches' network: the STN's network (same seed, so the same initial weights) with the hyperparameters held
     * fixed, trained with the same minibatches and weight optimiser. Built once and reset to its initial weights before
     * each training, which gives the numbers of a fresh build without paying for one per trial.
     */
    public static final class FixedRuns {
        private final Settings settings;
        private final Split data;
        private final long seed;
        private final StnHyperparameters hp;
        private final StnNetwork network;
        private final ParamVector initialWeights;

        public FixedRuns(Settings settings, Split data, long seed) {
            this.settings = settings;
            this.data = data;
            this.seed = seed;
            // A perturbation scale of 1e-8 leaves every value where it is set (a discrete one sits mid-interval).
            this.hp = hyperparameters(settings, 1e-8);
            this.network = network(hp, settings, seed);
            this.initialWeights = network.weights().dup();
        }

        /** Trains from the initial weights with the hyperparameters at {@code point} for {@code steps} training steps. */
        public Result train(Map<String, Double> point, long steps, String name) {
            network.weights().assignInPlace(initialWeights);
            point.forEach(hp::setValue);
            StnConfig plain = StnConfig.defaults(0).withWarmup(Math.toIntExact(steps)).withBatchSizes(settings.batchSize(), settings.batchSize())
                    .withSeed(seed);
            StnTrainer t = new StnTrainer(network, data.train(), data.validation(), data.test(), new Adam(settings.weightLearningRate()),
                    new Adam(settings.hyperLearningRate()), plain).withAugmentation(cutout());
            TrainingSummary summary = t.run();
            if (summary.status() != TrainingSummary.Status.COMPLETED) {
                // A diverged trial is a failed evaluation, which a search records but never picks.
                BilevelProblem.Evaluation failed = new BilevelProblem.Evaluation(Double.NaN, Double.NaN);
                return new Result(name, failed, failed, steps, hp.values());
            }
            return new Result(name, t.evaluate(data.test()), t.evaluate(data.validation()), steps, hp.values());
        }

        /** The searches' objective: {@link #train} at the point for the trial's steps; the test loss is reported, not used. */
        public Objective objective() {
            return (point, budgetSteps) -> {
                Result r = train(point, budgetSteps, "trial");
                return new Evaluation(r.validation().loss(), budgetSteps, Map.of("test_loss", r.test().loss(), "test_accuracy", r.test().accuracy()));
            };
        }
    }

    /** Runs {@code search} at the STN's cost: {@code trials} trials of {@code ⌊C / trials⌋} steps. */
    public static SearchRun runSearch(String name, Search search, Settings s, Objective objective, long seed) {
        SearchResult result = search.run(objective, new Budget(s.trialSteps(), s.cost()));
        Trial best = result.best().orElseThrow(() -> new IllegalStateException(name + ": every trial diverged (seed " + seed + ")."));
        Evaluation e = best.evaluation();
        Result r = new Result(name, new BilevelProblem.Evaluation(e.testMetrics().get("test_loss"), e.testMetrics().get("test_accuracy")),
                new BilevelProblem.Evaluation(e.validationLoss(), Double.NaN), result.totalSteps(), best.point());
        return new SearchRun(name, result, r);
    }

    @Override
    public Report run(Run run) {
        Settings s = settings(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        Split data = load(s, run.dataDir());
        double[] stn = new double[n];
        double[] stnAccuracy = new double[n];
        double[] grid = new double[n];
        double[] gridAccuracy = new double[n];
        double[] random = new double[n];
        double[] randomAccuracy = new double[n];
        double[] bestSearch = new double[n];
        double[] bestSearchAccuracy = new double[n];
        double[] retrained = new double[n];
        double[] retrainedAccuracy = new double[n];
        double[] riseFraction = new double[n];
        double[] finalMeanRate = new double[n];
        double[] lengthMoved = new double[n];
        StnRun firstStn = null;
        SearchRun firstGrid = null;
        SearchRun firstRandom = null;
        // metrics.csv: method 0 the STN, 1 a grid trial, 2 a random trial (cost: the search's steps so far), 3 the retrained configuration.
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "method", "cost_steps", "test_loss", "test_accuracy", "validation_loss"));
             MetricsWriter schedules = MetricsWriter.create(run.folder().resolve("schedule.csv"), scheduleColumns())) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                long start = System.nanoTime();
                StnRun st = runStn(s, data, seed);
                FixedRuns fixed = new FixedRuns(s, data, seed);
                SearchRun g = runSearch("grid search", grid(s), s, fixed.objective(), seed);
                // Sobol points are deterministic; scrambling them by seed would need a second sampler, so each seed draws its own pseudo-random points.
                SearchRun r = runSearch("random search", new RandomSearch(space(s), s.trials(), new RandomSearch.PseudoRandom(seed)), s, fixed.objective(), seed);
                if (k == 0) {
                    firstStn = st;
                    firstGrid = g;
                    firstRandom = r;
                }
                stn[k] = st.result().test().loss();
                stnAccuracy[k] = st.result().test().accuracy();
                grid[k] = g.best().test().loss();
                gridAccuracy[k] = g.best().test().accuracy();
                random[k] = r.best().test().loss();
                randomAccuracy[k] = r.best().test().accuracy();
                // The better search is the one of lower validation loss: the test set only reports.
                SearchRun better = g.best().validation().loss() <= r.best().validation().loss() ? g : r;
                bestSearch[k] = better.best().test().loss();
                bestSearchAccuracy[k] = better.best().test().accuracy();
                if (run.scale() != Scale.SMOKE) {
                    // Beyond equal cost: the better search's configuration trained as long as the STN trains (its own extra cost).
                    Result full = fixed.train(better.best().values(), s.stnTrainingSteps(), "retrained");
                    retrained[k] = full.test().loss();
                    retrainedAccuracy[k] = full.test().accuracy();
                    metrics.write(seed, 3, s.stnTrainingSteps(), retrained[k], retrainedAccuracy[k], full.validation().loss());
                }
                riseFraction[k] = riseFraction(st.schedule(), s);
                finalMeanRate[k] = DROPOUT_SITES.stream().mapToDouble(site -> st.result().values().get(site)).average().orElseThrow();
                lengthMoved[k] = Math.abs(st.result().values().get(CUTOUT_LENGTH) - s.initialLength())
                        + Math.abs(st.result().values().get(CUTOUT_HOLES) - s.initialHoles());
                metrics.write(seed, 0, st.result().cost(), stn[k], stnAccuracy[k], st.result().validation().loss());
                for (Trial t : g.search().trials()) {
                    metrics.write(seed, 1, t.cumulativeSteps(), t.evaluation().testMetrics().get("test_loss"), t.evaluation().testMetrics().get("test_accuracy"),
                            t.evaluation().validationLoss());
                }
                for (Trial t : r.search().trials()) {
                    metrics.write(seed, 2, t.cumulativeSteps(), t.evaluation().testMetrics().get("test_loss"), t.evaluation().testMetrics().get("test_accuracy"),
                            t.evaluation().validationLoss());
                }
                for (StnTrainer.ScheduleEntry e : st.schedule()) {
                    double[] row = new double[3 + DROPOUT_SITES.size() + 2];
                    row[0] = seed;
                    row[1] = e.cycle();
                    row[2] = e.trainSteps();
                    int c = 3;
                    for (String site : DROPOUT_SITES) {
                        row[c++] = e.values().get(site);
                    }
                    row[c++] = e.values().get(CUTOUT_LENGTH);
                    row[c] = e.values().get(CUTOUT_HOLES);
                    schedules.write(row);
                }
                run.out().printf(Locale.ROOT, "seed %d (%.0f s): STN test loss %.4f, values %s; grid best %.4f %s; random best %.4f %s%n", seed,
                        (System.nanoTime() - start) / 1e9, stn[k], format(st.result().values()), grid[k], format(g.best().values()), random[k],
                        format(r.best().values()));
            }
        }
        List<String> figures = figures(run, s, seeds[0], firstStn, firstGrid, firstRandom);

        Table table = new Table("method (cost: " + s.cost() + " training-step equivalents each)", "test cross-entropy", "test accuracy (%)");
        table.row("STN: 4 dropout rates + cutout length and holes tuned online", Table.overSeeds(stn, 4), Table.overSeeds(percent(stnAccuracy), 2));
        table.row("grid search, " + firstGrid.search().trials().size() + " trials of " + s.trialSteps() + " steps, best on validation",
                Table.overSeeds(grid, 4), Table.overSeeds(percent(gridAccuracy), 2));
        table.row("random search, " + firstRandom.search().trials().size() + " trials of " + s.trialSteps() + " steps, best on validation",
                Table.overSeeds(random, 4), Table.overSeeds(percent(randomAccuracy), 2));
        table.row("better search per seed (chosen on validation)", Table.overSeeds(bestSearch, 4), Table.overSeeds(percent(bestSearchAccuracy), 2));
        if (run.scale() != Scale.SMOKE) {
            table.row("its configuration retrained for the STN's " + s.stnTrainingSteps() + " training steps (extra cost, not at equal cost)",
                    Table.overSeeds(retrained, 4), Table.overSeeds(percent(retrainedAccuracy), 2));
        }

        int stnWins = 0;
        for (int k = 0; k < n; k++) {
            stnWins += stn[k] < bestSearch[k] ? 1 : 0;
        }
        double meanStn = mean(stn);
        double meanBest = mean(bestSearch);
        double rise = mean(riseFraction);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("At equal cost the STN reaches a lower test loss than the better of grid and random search (chosen on validation)",
                String.format(Locale.ROOT, "STN %.4f vs %.4f (means); lower in %d of %d seeds", meanStn, meanBest, stnWins, n),
                meanStn < meanBest && stnWins * 2 > n));
        if (run.scale() != Scale.SMOKE) {
            checks.add(new Check("The dropout rates rise from their low start during training (the paper's schedule figures)",
                    String.format(Locale.ROOT, "%.0f%% of the %d rates end above their %.2f start; mean final rate %.3f", 100 * rise,
                            n * DROPOUT_SITES.size(), s.initialDropout(), mean(finalMeanRate)), rise >= 0.75 && mean(finalMeanRate) > 2 * s.initialDropout()));
            int scheduleWins = 0;
            for (int k = 0; k < n; k++) {
                scheduleWins += stn[k] < retrained[k] ? 1 : 0;
            }
            checks.add(new Check("The STN's schedule beats the best fixed configuration found by search even when that one is trained as long",
                    String.format(Locale.ROOT, "STN %.4f vs %.4f retrained (means); lower in %d of %d seeds", meanStn, mean(retrained), scheduleWins, n),
                    meanStn < mean(retrained) && scheduleWins * 2 > n));
            checks.add(new Check("Discrete hyperparameters (cutout length and holes) are tuned too: they move from their start",
                    String.format(Locale.ROOT, "length and holes moved by %s steps in total, by seed", Arrays.toString(Arrays.stream(lengthMoved).mapToLong(v -> (long) v).toArray())),
                    Arrays.stream(lengthMoved).allMatch(v -> v > 0)));
        }
        String notes = run.scale() == Scale.SMOKE
                ? String.format(Locale.ROOT, "At the smoke scale only the first check applies: %d training steps on %d images do not overfit, so"
                        + " the schedules have no reason to rise yet; the reduced scale (`--scale reduced`) checks them.", s.stnTrainingSteps(),
                        s.trainExamples())
                : """
                        The searches' trials are a quarter of the STN's length, so at equal cost their networks are far less trained; the
                        retrained row separates that from the hyperparameters themselves. An earlier reduced run on 400 training images
                        for 6 epochs, where the unregularised network had not yet begun to overfit, had every rate end below its start
                        (0.035 on average) and the same ordering (STN 0.732, better search 1.646, retrained 1.141): the STN lowers
                        regularisation that does not pay, and raises it only as overfitting starts. Per-seed numbers: `metrics.csv` of
                        the run folder (method 0 the STN, 1 and 2 the grid and random trials, 3 the retrained configuration) and
                        `schedule.csv`.""";
        return new Report(name(), title(), claim(), setup(s), differences(s), table, checks, notes, figures, run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static String claim() {
        return """
                STNs tune regularisation hyperparameters of a CNN online, in one training run: dropout rates at several sites and
                data augmentation, including discrete ones such as cutout's length and number of holes, whose training-loss
                gradient does not exist. On CIFAR-10 (AlexNet, 15 hyperparameters) the STN reaches a lower validation and test
                loss than grid search, random search and Bayesian optimisation, and reaches it sooner in wall-clock time (Section
                4.3 and Table 2: STN test loss 0.576); its dropout and augmentation schedules start low and rise as the network
                begins to overfit (the schedule figures of Section 4), and on PTB (Section 4.1, Table 1) a discovered schedule beats
                the best fixed rate, also when the fixed network is trained as long.""";
    }

    private static String setup(Settings s) {
        return String.format(Locale.ROOT, """
                Fashion-MNIST (Debian package `dataset-fashion-mnist`): the first %,d training images for training, the next %,d for
                validation, the first %,d test images. CNN 1×28×28 → dropout (pixels) → conv 16 (5×5, same padding, ReLU) →
                max-pool 2 → channel dropout (whole feature maps, as the authors' CNN code) → conv 32 (5×5, ReLU) → max-pool 2 →
                channel dropout → fc %d (ReLU) → dropout → 10, every layer a best-response layer.
                Hyperparameters: four dropout rates in [0, %.1f] starting at %.2f; cutout length 0…%d (start %d) and holes
                0…%d (start %d), discrete, applied per training example with its own perturbed values. STN: Adam %.0e on the
                weights, batch %d; %d warm-up steps, then %d cycles of %d training steps and %d hyper step(s) on a validation batch
                of %d, Adam %.0e on λ and the perturbation scales, τ = 1e-3.

                Cost counted in training-step equivalents: the STN's %d training steps plus %d hyper steps (one hyper step is one
                forward and backward pass of the same network on a batch of the same size) = %d. Each search gets the same total:
                %d trials of %d training steps, the same network with the hyperparameters held fixed, the same initial weights and
                minibatches; its result is the trial of lowest validation loss. Grid: the two ends of the range on %s, the
                middle of the range on the other hyperparameters (two values on all six would take 64 trials); random search:
                independent uniform points (seeded by the run's seed). Evaluations for the figures are not counted as cost on either side. The seed
                draws the weights, minibatches, noise and the random points.""", s.trainExamples(), s.validationExamples(), s.testExamples(),
                s.fcUnits(), s.maxDropout(), s.initialDropout(), s.maxLength(), s.initialLength(), s.maxHoles(), s.initialHoles(), s.weightLearningRate(),
                s.batchSize(), s.warmupSteps(), s.cycles(), s.trainSteps(), s.validationSteps(), s.batchSize(), s.hyperLearningRate(), s.stnTrainingSteps(),
                s.stnHyperSteps(), s.cost(), s.trials(), s.trialSteps(), String.join(" and ", varied(grid(s))));
    }

    /** The dimensions on which the grid takes more than one value. */
    private static List<String> varied(GridSearch g) {
        return g.space().names().stream().filter(n -> g.points().stream().map(p -> p.get(n)).distinct().count() > 1).toList();
    }

    private static String differences(Settings s) {
        return String.format(Locale.ROOT, """
                - The paper's CNN experiment is AlexNet on CIFAR-10 with 15 hyperparameters (dropout rates, colour jitter, cutout),
                  trained for hundreds of epochs; the conv 16 → conv 32 → fc network on Fashion-MNIST is the small CNN of the project's
                  paper notes (a "simple CNN on Fashion-MNIST" is also an example of the later Delta-STN code of Bae and Grosse, 2020,
                  which runs STNs too). The paper reports no Fashion-MNIST number, so the table has no paper column; its CIFAR-10
                  numbers are quoted in the claim. Here %,d training images and %d training steps (%.1f epochs), so that three
                  seeds with both searches run in minutes on two cores.
                - Only four dropout rates and cutout are tuned (no colour jitter: the images are grey); the rates' range is [0, %.1f]
                  for both sides (the paper's STN allows 0.95); cutout length is at most %d pixels of 28.
                - The paper gives the searches much more time than one STN run and plots the best loss against wall-clock time; here
                  the searches get exactly the STN's cost in training steps, so each of their trials trains %d steps where the STN
                  trains %d: that is the equal-cost comparison the issue asks for, and it favours the STN by construction of the cost.
                  Bayesian optimisation is not run.
                - The paper's defaults are T_train/T_valid = 2/1 (5/1 in the Fashion-MNIST example of the notes) with Adam or RMSprop
                  on λ at 3e-3 to 1e-2; here %d/%d with Adam at %.0e, so that %d hyper steps can move the hyperparameters.""", s.trainExamples(), s.stnTrainingSteps(),
                (double) s.stnTrainingSteps() * s.batchSize() / s.trainExamples(), s.maxDropout(), s.maxLength(), s.trialSteps(), s.stnTrainingSteps(),
                s.trainSteps(), s.validationSteps(), s.hyperLearningRate(), s.stnHyperSteps());
    }

    /** The fraction of (seed-wise) dropout rates whose final value exceeds their start. */
    private static double riseFraction(List<StnTrainer.ScheduleEntry> schedule, Settings s) {
        Map<String, Double> last = schedule.get(schedule.size() - 1).values();
        return DROPOUT_SITES.stream().filter(site -> last.get(site) > s.initialDropout()).count() / (double) DROPOUT_SITES.size();
    }

    private static List<String> figures(Run run, Settings s, long seed, StnRun st, SearchRun g, SearchRun r) {
        double[] steps = st.schedule().stream().mapToDouble(StnTrainer.ScheduleEntry::trainSteps).toArray();
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String site : DROPOUT_SITES) {
            rates.put(site, st.schedule().stream().mapToDouble(e -> e.values().get(site)).toArray());
        }
        String rateFigure = "dropout-schedule.png";
        Plots.trajectories(run.folder().resolve(rateFigure), "STN dropout rates during training (seed " + seed + ")", steps, rates,
                Plots.Style.of("training step", "dropout rate"));
        Map<String, double[]> cutout = new LinkedHashMap<>();
        cutout.put("cutout length (pixels)", st.schedule().stream().mapToDouble(e -> e.values().get(CUTOUT_LENGTH)).toArray());
        cutout.put("cutout holes", st.schedule().stream().mapToDouble(e -> e.values().get(CUTOUT_HOLES)).toArray());
        String cutoutFigure = "cutout-schedule.png";
        Plots.trajectories(run.folder().resolve(cutoutFigure), "STN cutout length and holes during training (seed " + seed + ")", steps, cutout,
                Plots.Style.of("training step", "value"));
        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        curves.put("STN (test loss during its run)", new Plots.Curve(st.costs(), st.testLosses()));
        curves.put("grid search: best trial so far (on validation)", new Plots.Curve(g.cumulativeSteps(), g.bestSoFarTestLoss()));
        curves.put("random search: best trial so far (on validation)", new Plots.Curve(r.cumulativeSteps(), r.bestSoFarTestLoss()));
        String costFigure = "test-loss-against-cost.png";
        Plots.curves(run.folder().resolve(costFigure), "Test loss against cost, training-step equivalents (seed " + seed + ")", curves,
                Plots.Style.of("training-step equivalents", "test cross-entropy"));
        return List.of(rateFigure, cutoutFigure, costFigure);
    }

    private static List<String> scheduleColumns() {
        List<String> c = new ArrayList<>(List.of("seed", "cycle", "train_steps"));
        c.addAll(DROPOUT_SITES);
        c.add(CUTOUT_LENGTH);
        c.add(CUTOUT_HOLES);
        return c;
    }

    private static String format(Map<String, Double> values) {
        StringBuilder b = new StringBuilder("[");
        values.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k.replace("dropout.", "")).append('=')
                .append(String.format(Locale.ROOT, k.startsWith("cutout") ? "%.0f" : "%.2f", v)));
        return b.append(']').toString();
    }

    private static double[] percent(double[] v) {
        return Arrays.stream(v).map(x -> 100 * x).toArray();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
