package org.hypergrad4j.experiments.stn;

import org.hypergrad4j.experiments.internal.SummaryText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.experiments.data.FashionMnist;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypernets.stn.StnConfig;
import org.hypergrad4j.hypernets.stn.StnHyperparameter;
import org.hypergrad4j.hypernets.stn.StnHyperparameters;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.hypernets.stn.StnNetwork;
import org.hypergrad4j.hypernets.stn.StnTrainer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Self-tuning dropout on Fashion-MNIST (MacKay et al. 2019, reduced scale): an MLP
 * {@code 784 → dropout(input) → hidden → ReLU → dropout(hidden1) → hidden → ReLU → dropout(hidden2) → 10}
 * whose three dropout rates start at {@code initialDropout} and are tuned online by the STN loop, against
 * the same network trained with each fixed rate of {@link #GRID} at all three sites for the same number of
 * training steps (fixed rates: no perturbation, no hyper steps; the gates then see a constant input, so
 * the layers are ordinary linear layers). All runs use the same data, initial weights, minibatches and
 * weight optimiser.
 */
public final class FashionMnistStnDropout {
    /** The fixed-dropout grid of the issue. */
    public static final double[] GRID = {0.0, 0.2, 0.4, 0.6, 0.8};
    public static final List<String> SITES = List.of("dropout.input", "dropout.hidden1", "dropout.hidden2");

    private FashionMnistStnDropout() {
    }

    /**
     * @param trainExamples first examples of the Fashion-MNIST training file used for training
     * @param validationExamples the next examples, held out for the hyper steps
     * @param testExamples  first examples of the test file
     * @param warmupEpochs  epochs of training steps before the first hyper step
     */
    public record Settings(int trainExamples, int validationExamples, int testExamples, int hidden, int epochs, double warmupEpochs, int batchSize,
                           int validationBatchSize, int trainSteps, int validationSteps, double weightLearningRate, double hyperLearningRate, double initialDropout, long seed) {
        public Settings {
            if (warmupEpochs < 0 || warmupEpochs >= epochs) {
                throw new IllegalArgumentException("The STN needs more epochs than its " + warmupEpochs + " warm-up epoch(s), got " + epochs
                        + " epoch(s).");
            }
            if (trainExamples < batchSize || validationExamples < validationBatchSize || validationBatchSize < 1 || testExamples < 1 || hidden < 1
                    || trainSteps < 1 || validationSteps < 1) {
                throw new IllegalArgumentException("Invalid STN dropout settings (batches must fit their sets, every count be positive): "
                        + this);
            }
            if (!(initialDropout >= 0 && initialDropout <= StnHyperparameter.MAX_DROPOUT)) {
                throw new IllegalArgumentException("initialDropout must be in [0, " + StnHyperparameter.MAX_DROPOUT + "]; got " + initialDropout + ".");
            }
        }

        /**
         * The reduced scale recorded in docs/TEST-RECORDS.md: 2,000 training, 500 validation and 2,000 test
         * images, MLP 784-256-256-10, 30 epochs of batch 100 (600 training steps) with Adam 1e-3, one warm-up
         * epoch, then cycles of 2 training steps and 1 hyper step on the whole validation set with Adam 5e-2
         * on {@code λ} and {@code ρ}; dropout rates start at 0.05.
         */
        public static Settings reduced() {
            return new Settings(2000, 500, 2000, 256, 30, 1, 100, 500, 2, 1, 1e-3, 0.05, 0.05, 1L);
        }

        public long totalTrainingSteps() {
            return (long) epochs * (trainExamples / batchSize);
        }

        public int warmupSteps() {
            return (int) Math.round(warmupEpochs * (trainExamples / batchSize));
        }

        public int cycles() {
            return (int) ((totalTrainingSteps() - warmupSteps()) / trainSteps);
        }
    }

    /** One trained network: its test and validation evaluation and final dropout rates. */
    public record Result(String name, BilevelProblem.Evaluation test, BilevelProblem.Evaluation validation, Map<String, Double> rates) {
    }

    /** The STN run, the fixed-rate runs in grid order, and the STN's schedule. */
    public record Report(Settings settings, Result stn, List<Result> grid, List<StnTrainer.ScheduleEntry> schedule) {
        public Result bestGrid() {
            return grid.stream().min((a, b) -> Double.compare(a.test().loss(), b.test().loss())).orElseThrow();
        }
    }


    /** Loads the data of {@code s} from {@code dataDirectory} (null: {@link FashionMnist#directory()}). */
    public static Split load(Settings s, Path dataDirectory) {
        return FashionMnist.leadingSplit(dataDirectory, s.trainExamples(), s.validationExamples(), s.testExamples());
    }

    /** Runs the STN and the grid; {@code progress} receives one line per finished run and every 25 STN cycles. */
    public static Report run(Settings s, Path dataDirectory, Consumer<String> progress) {
        return run(s, load(s, dataDirectory), progress);
    }

    /** Runs the STN and the grid on {@code data}. */
    public static Report run(Settings s, Split data, Consumer<String> progress) {
        StnRun stn = runStn(s, data, progress);
        List<Result> grid = new ArrayList<>();
        for (double rate : GRID) {
            Result r = runFixed(s, data, rate);
            grid.add(r);
            progress.accept(describe(r));
        }
        return new Report(s, stn.result(), grid, stn.schedule());
    }

    /** The STN's result and schedule. */
    public record StnRun(Result result, List<StnTrainer.ScheduleEntry> schedule) {
    }

    /** Trains the self-tuning network of {@code s}. */
    public static StnRun runStn(Settings s, Split data, Consumer<String> progress) {
        Dataset train = data.train();
        Dataset validation = data.validation();
        Dataset test = data.test();
        StnHyperparameters hp = hyperparameters(s.initialDropout(), StnHyperparameters.DEFAULT_INITIAL_SCALE);
        StnNetwork net = network(hp, s);
        StnConfig config = StnConfig.defaults(s.cycles()).withWarmup(s.warmupSteps()).withSteps(s.trainSteps(), s.validationSteps())
                .withBatchSizes(s.batchSize(), s.validationBatchSize()).withSeed(s.seed());
        StnTrainer stn = new StnTrainer(net, train, validation, test, new Adam(s.weightLearningRate()), new Adam(s.hyperLearningRate()), config);
        stn.addListener(new TrainingListener<StnTrainer.ScheduleEntry>() {
            @Override
            public void onUnit(StnTrainer.ScheduleEntry e) {
                if (e.cycle() % 25 == 0) {
                    progress.accept(String.format(Locale.ROOT, "STN cycle %d/%d (epoch %.1f): train %.4f, validation %.4f, rates %s", e.cycle(), s.cycles(),
                            e.epoch(), e.trainingLoss(), e.validationLoss(), formatRates(e.values())));
                }
            }
        });
        TrainingSummary summary = stn.run();
        if (summary.status() != TrainingSummary.Status.COMPLETED) {
            throw new IllegalStateException("The STN run did not complete: " + summary.message());
        }
        Result stnResult = new Result("STN", stn.evaluate(test), stn.evaluate(validation), hp.values());
        progress.accept(describe(stnResult));
        return new StnRun(stnResult, stn.schedule());
    }

    /** Trains the same network with every dropout rate fixed at {@code rate}, for the STN's number of training steps. */
    public static Result runFixed(Settings s, Split data, double rate) {
        Map<String, Double> rates = new LinkedHashMap<>();
        SITES.forEach(site -> rates.put(site, rate));
        return runFixedAt(s, data, rates, String.format(Locale.ROOT, "fixed %.1f", rate));
    }

    /** Trains the same network with the dropout rates fixed at {@code rates} (by site), for the STN's number of training steps. */
    public static Result runFixedAt(Settings s, Split data, Map<String, Double> rates, String name) {
        return trainPlain(s, data, rates, null, name);
    }

    /**
     * Trains the same network from scratch with the dropout rates following {@code schedule} step by step (no
     * perturbation, no hyper steps): does the discovered schedule, rather than the online tuning, carry the gain?
     */
    public static Result runReplay(Settings s, Split data, List<StnTrainer.ScheduleEntry> schedule) {
        Map<String, Double> start = new LinkedHashMap<>();
        SITES.forEach(site -> start.put(site, s.initialDropout()));
        return trainPlain(s, data, start, schedule, "STN schedule replayed");
    }

    private static Result trainPlain(Settings s, Split data, Map<String, Double> rates, List<StnTrainer.ScheduleEntry> replay, String name) {
        StnHyperparameters fixed = hyperparameters(s.initialDropout(), 1e-8);
        rates.forEach(fixed::setValue);
        StnNetwork fixedNet = network(fixed, s);
        StnConfig plain = StnConfig.defaults(0).withWarmup((int) s.totalTrainingSteps()).withBatchSizes(s.batchSize(), s.batchSize()).withSeed(s.seed());
        StnTrainer t = new StnTrainer(fixedNet, data.train(), data.validation(), data.test(), new Adam(s.weightLearningRate()), new Adam(s.hyperLearningRate()),
                plain);
        if (replay != null) {
            t.replaying(replay);
        }
        TrainingSummary fs = t.run();
        if (fs.status() != TrainingSummary.Status.COMPLETED) {
            throw new IllegalStateException("The run '" + name + "' did not complete: " + fs.message());
        }
        return new Result(name, t.evaluate(data.test()), t.evaluate(data.validation()), fixed.values());
    }

    private static StnHyperparameters hyperparameters(double rate, double scale) {
        List<StnHyperparameter> specs = new ArrayList<>();
        for (String site : SITES) {
            specs.add(StnHyperparameter.dropout(site, rate));
        }
        return new StnHyperparameters(specs, scale);
    }

    private static StnNetwork network(StnHyperparameters hp, Settings s) {
        return StnNetwork.builder(FashionMnist.PIXELS, hp).dataType(DataType.FLOAT).seed(s.seed()).dropout(SITES.get(0))
                .linear(s.hidden(), StnNetwork.Activation.RELU).dropout(SITES.get(1)).linear(s.hidden(), StnNetwork.Activation.RELU)
                .dropout(SITES.get(2)).output(FashionMnist.NUM_CLASSES).build();
    }


    static String formatRates(Map<String, Double> rates) {
        StringBuilder b = new StringBuilder("[");
        rates.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k.replace("dropout.", "")).append('=')
                .append(String.format(Locale.ROOT, "%.3f", v)));
        return b.append(']').toString();
    }

    public static String describe(Result r) {
        return String.format(Locale.ROOT, "%-9s test loss %.4f, accuracy %.2f%%; validation loss %.4f; rates %s", r.name(), r.test().loss(),
                100 * r.test().accuracy(), r.validation().loss(), formatRates(r.rates()));
    }

    /** Writes {@code schedule.csv}, {@code schedule.png} (rates against epochs) and {@code results.txt} into {@code folder}. */
    public static void writeOutputs(Report report, Path folder) {
        try {
            Files.createDirectories(folder);
            StringBuilder csv = new StringBuilder("cycle,train_steps,epoch,training_loss,validation_loss");
            for (String site : SITES) {
                csv.append(',').append(site).append(',').append(site).append(".scale");
            }
            csv.append('\n');
            double[] epochs = new double[report.schedule().size()];
            Map<String, double[]> series = new LinkedHashMap<>();
            for (String site : SITES) {
                series.put(site, new double[epochs.length]);
            }
            for (int i = 0; i < epochs.length; i++) {
                StnTrainer.ScheduleEntry e = report.schedule().get(i);
                epochs[i] = e.epoch();
                csv.append(String.format(Locale.ROOT, "%d,%d,%.4f,%.6f,%.6f", e.cycle(), e.trainSteps(), e.epoch(), e.trainingLoss(), e.validationLoss()));
                for (String site : SITES) {
                    series.get(site)[i] = e.values().get(site);
                    csv.append(String.format(Locale.ROOT, ",%.6f,%.6f", e.values().get(site), e.scales().get(site)));
                }
                csv.append('\n');
            }
            Files.writeString(folder.resolve("schedule.csv"), csv);
            Plots.trajectories(folder.resolve("schedule.png"), "STN dropout schedule, Fashion-MNIST", epochs, series,
                    Plots.Style.of("epoch", "dropout rate"));
            StringBuilder txt = new StringBuilder();
            txt.append("Settings: ").append(report.settings()).append('\n');
            txt.append(describe(report.stn())).append('\n');
            for (Result r : report.grid()) {
                txt.append(describe(r)).append('\n');
            }
            txt.append("Best fixed: ").append(report.bestGrid().name()).append('\n');
            Files.writeString(folder.resolve("results.txt"), txt);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the STN outputs to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the experiment into a new run folder under {@code outputRoot} ({@code config.json},
     * {@code provenance.json}, {@code metrics.csv} (the schedule, one row per cycle), {@code summary.json},
     * {@code schedule.csv}, {@code schedule.png}, {@code results.txt}); returns the folder. The summary's {@code test_accuracy} and {@code val_loss} are the
     * STN's.
     */
    public static Path start(Settings s, Path dataDirectory, Path outputRoot, java.io.PrintStream out) {
        Split data = load(s, dataDirectory);
        org.hypergrad4j.experiments.results.RunDirectory dir = org.hypergrad4j.experiments.results.RunDirectory.createUnique(outputRoot, "stn-dropout",
                s.seed(), java.time.Instant.now());
        try (var lock = dir.lock()) {
            return execute(s, data, dir, out);
        }
    }

    private static Path execute(Settings s, Split data, org.hypergrad4j.experiments.results.RunDirectory dir, java.io.PrintStream out) {
        dir.writeConfig(s);
        dir.writeProvenance(org.hypergrad4j.experiments.results.Provenance.capture(s.seed()));
        out.printf(Locale.ROOT, "STN dropout on Fashion-MNIST: %d train / %d validation / %d test, MLP 784-%d-%d-10, %d epochs, %d cycles of %d/%d steps%n",
                s.trainExamples(), s.validationExamples(), s.testExamples(), s.hidden(), s.hidden(), s.epochs(), s.cycles(), s.trainSteps(), s.validationSteps());
        Report r = run(s, data, out::println);
        writeOutputs(r, dir.path());
        Result replayed = runReplay(s, data, r.schedule());
        out.println(describe(replayed));
        Result finalFixed = runFixedAt(s, data, r.stn().rates(), "fixed at the STN's final rates");
        out.println(describe(finalFixed));
        try {
            Files.writeString(dir.path().resolve("results.txt"), describe(replayed) + "\n" + describe(finalFixed) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append to " + dir.path().resolve("results.txt") + ": " + e.getMessage(), e);
        }
        List<String> columns = new ArrayList<>(List.of("cycle", "epoch", "training_loss", "validation_loss"));
        columns.addAll(SITES);
        try (org.hypergrad4j.experiments.results.MetricsWriter metrics = dir.newMetrics(columns)) {
            for (StnTrainer.ScheduleEntry e : r.schedule()) {
                double[] row = new double[columns.size()];
                row[0] = e.cycle();
                row[1] = e.epoch();
                row[2] = e.trainingLoss();
                row[3] = e.validationLoss();
                for (int k = 0; k < SITES.size(); k++) {
                    row[4 + k] = e.values().get(SITES.get(k));
                }
                metrics.write(row);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", "stn-dropout");
        summary.put("message", String.format(Locale.ROOT, "STN %s the best fixed dropout rate on test loss",
                r.stn().test().loss() <= r.bestGrid().test().loss() ? "matched or beat" : "did not reach"));
        summary.put("test_loss", r.stn().test().loss());
        summary.put("test_accuracy", r.stn().test().accuracy());
        summary.put("val_loss", r.stn().validation().loss());
        summary.put("final_rates", r.stn().rates());
        summary.put("best_fixed", r.bestGrid().name());
        summary.put("best_fixed_test_loss", r.bestGrid().test().loss());
        summary.put("best_fixed_test_accuracy", r.bestGrid().test().accuracy());
        summary.put("replayed_schedule_test_loss", replayed.test().loss());
        summary.put("fixed_at_final_rates_test_loss", finalFixed.test().loss());
        dir.writeSummary(summary);
        out.print(SummaryText.render(dir.path()));
        return dir.path();
    }
}
