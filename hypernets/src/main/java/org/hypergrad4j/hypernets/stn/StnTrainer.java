package org.hypergrad4j.hypernets.stn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingLoop;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The self-tuning network loop (MacKay et al. 2019, Algorithm 1):
 * <ol>
 *   <li>warm-up: {@code warmupSteps} training steps;</li>
 *   <li>then per cycle, {@code T_train} training steps — draw {@code ε ~ N(0, I)} per example, perturb
 *       {@code λ̃ = λ + softplus(ρ)⊙ε}, augment each example and draw its dropout masks with its own
 *       {@code λ̃}'s values, and update the network's weights on {@code L_T} with the best-response layers fed
 *       {@code λ̃} — and {@code T_valid} hyper steps — validation minibatch, no dropout or augmentation, perturbed
 *       {@code λ̃} again, and update {@code (λ, ρ)} on {@code L_V − τ·H(ρ)}. {@code L_V} depends on {@code λ}
 *       only through the best-response layers, so dropout rates, augmentation strengths and discrete
 *       hyperparameters all get gradients.</li>
 * </ol>
 * Every cycle appends one {@link ScheduleEntry} to the schedule. One cycle is one {@link TrainingLoop} unit; the
 * warm-up runs before the first.
 *
 * <p>Determinism: minibatches, noise, masks and augmentation of step {@code s} are functions of the seed and
 * {@code s}, so the same seed gives the same numbers and a resumed run ends where an uninterrupted one does.
 * Failure (the loop's rule): NaN, infinity or a blown-up loss restores the state after the last completed
 * cycle and ends with {@link TrainingSummary.Status#DIVERGED}.
 */
public final class StnTrainer extends TrainingLoop<StnTrainer.ScheduleEntry, StnTrainer> {
    private static final int EVALUATION_BATCH = 500;

    private final StnNetwork network;
    private final StnHyperparameters hp;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Optimizer weightOptimizer;
    private final Optimizer hyperOptimizer;
    private final StnConfig config;
    private final INDArray trainTargets;
    private final INDArray validationInputs;
    private final INDArray validationTargets;
    private ImageAugmentation augmentation;
    private List<ScheduleEntry> replay;
    private long trainStep;
    private long hyperStep;

    /**
     * One row of the schedule, and the loop's unit event: after {@code cycle} cycles and {@code trainSteps}
     * training steps ({@code epoch} = examples seen / training-set size), each hyperparameter's value and
     * perturbation scale, the last training loss (the loss the loop watches for divergence) and the mean
     * validation loss of the cycle's hyper steps.
     */
    public record ScheduleEntry(int cycle, long trainSteps, double epoch, Map<String, Double> values, Map<String, Double> scales,
                                double trainingLoss, double validationLoss) {
    }

    /**
     * @param test may be null
     */
    public StnTrainer(StnNetwork network, Dataset train, Dataset validation, Dataset test, Optimizer weightOptimizer,
                      Optimizer hyperOptimizer, StnConfig config) {
        super("cycle", ScheduleEntry.class, ScheduleEntry::trainingLoss);
        this.network = Objects.requireNonNull(network, "network");
        if (network.lossKind() != StnNetwork.Loss.CROSS_ENTROPY) {
            throw new IllegalArgumentException("StnTrainer trains classifiers (labels from Dataset); the network's loss is " + network.lossKind()
                    + ". Drive a regression network with StnNetwork.lossAndGradients directly.");
        }
        this.hp = network.hyperparameters();
        this.train = checkData(Objects.requireNonNull(train, "train"));
        this.validation = checkData(Objects.requireNonNull(validation, "validation"));
        this.test = test == null ? null : checkData(test);
        this.weightOptimizer = Objects.requireNonNull(weightOptimizer, "weightOptimizer");
        this.hyperOptimizer = Objects.requireNonNull(hyperOptimizer, "hyperOptimizer");
        this.config = Objects.requireNonNull(config, "config");
        requireBatchFits(config.batchSize(), train, "Training");
        requireBatchFits(config.validationBatchSize(), validation, "Validation");
        this.trainTargets = train.toOneHotLabels(network.dataType());
        this.validationInputs = validation.toFeatures(network.dataType());
        this.validationTargets = validation.toOneHotLabels(network.dataType());
        keep("weights", network::weights);
        keep("hyperparameters", hp::asParamVector);
        keep("weightOptimizer", weightOptimizer);
        keep("hyperOptimizer", hyperOptimizer);
        keepCounter("trainStep", () -> trainStep, v -> trainStep = v);
        keepCounter("hyperStep", () -> hyperStep, v -> hyperStep = v);
    }

    /** Refuses data whose features or classes do not fit the network. */
    private Dataset checkData(Dataset d) {
        return d.requireShape(network.inputFeatures(), network.outputs(), "the network");
    }

    /** Augments training inputs (off by default). */
    public StnTrainer withAugmentation(ImageAugmentation a) {
        a.validate(hp, network.inputFeatures());
        this.augmentation = a;
        return this;
    }

    /**
     * Replays a schedule recorded by another run instead of tuning: before each training step the
     * hyperparameters are set to the values of the last entry recorded at or before that step (the initial
     * values before the first entry). Meant for training from scratch on a discovered schedule (MacKay et al.
     * 2019, Section 4.3), with a configuration of training steps only (warm-up, no cycles) and a perturbation
     * scale near zero.
     *
     * @throws IllegalArgumentException if an entry lacks one of this network's hyperparameters, or entries are
     *                                  not in order of training steps
     */
    public StnTrainer replaying(List<ScheduleEntry> schedule) {
        long previous = -1;
        for (ScheduleEntry e : schedule) {
            if (!e.values().keySet().containsAll(hp.names())) {
                throw new IllegalArgumentException("Schedule entry of cycle " + e.cycle() + " has values for " + e.values().keySet() + " but the network tunes "
                        + hp.names() + ".");
            }
            if (e.trainSteps() < previous) {
                throw new IllegalArgumentException("Schedule entries must be in order of training steps; cycle " + e.cycle() + " is at step "
                        + e.trainSteps() + " after an entry at step " + previous + ".");
            }
            previous = e.trainSteps();
        }
        this.replay = List.copyOf(schedule);
        return this;
    }

    /** The network this trainer trains. */
    public StnNetwork network() {
        return network;
    }

    /** The schedule so far, one entry per completed cycle: the loop's {@link #history()}. */
    public List<ScheduleEntry> schedule() {
        return history();
    }

    public long trainStepsDone() {
        return trainStep;
    }

    public int cyclesDone() {
        return (int) unitsDone();
    }

    @Override
    protected long totalUnits() {
        return config.cycles();
    }

    /** The warm-up: {@code warmupSteps} training steps before the first cycle. */
    @Override
    protected boolean beforeUnits() {
        boolean warming = trainStep < config.warmupSteps();
        while (trainStep < config.warmupSteps()) {
            trainingStep();
        }
        return warming;
    }

    @Override
    protected ScheduleEntry runUnit(long cycle) {
        double trainingLoss = Double.NaN;
        for (int i = 0; i < config.trainSteps(); i++) {
            trainingLoss = trainingStep();
        }
        double validationLoss = 0;
        for (int i = 0; i < config.validationSteps(); i++) {
            validationLoss += hyperStep() / config.validationSteps();
        }
        return new ScheduleEntry((int) cycle, trainStep, (double) trainStep * config.batchSize() / train.numExamples(), hp.values(),
                hp.scales(), trainingLoss, validationLoss);
    }

    @Override
    protected TrainingListener.EvaluationEvent evaluate(long cycle) {
        // The validation set's arrays, converted once for the hyper steps, serve here too.
        return new TrainingListener.EvaluationEvent(cycle, evaluate(train), network.evaluate(validationInputs, validationTargets, EVALUATION_BATCH),
                test == null ? null : evaluate(test));
    }

    /** One training step; returns its training loss {@code L_T}. */
    private double trainingStep() {
        if (replay != null) {
            // The last entry recorded at or before this step, if any, sets the hyperparameters: a binary search, since
            // the entries are in order of training steps and a long replay has tens of thousands of them.
            int after = 0;
            for (int hi = replay.size(); after < hi; ) {
                int mid = (after + hi) >>> 1;
                if (replay.get(mid).trainSteps() <= trainStep) {
                    after = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (after > 0) {
                replay.get(after - 1).values().forEach((name, v) -> {
                    if (hp.has(name)) {
                        hp.setValue(name, v);
                    }
                });
            }
        }
        int[] rows = MinibatchSchedule.rows(train.numExamples(), config.batchSize(), config.seed(), SeedStream.TRAINING_BATCHES, trainStep);
        Random rnd = SeedStream.TRAINING_NOISE.random(config.seed(), trainStep);
        double[][] eps = gaussian(rows.length, hp.count(), rnd);
        double[][] values = hp.valuesOf(hp.perturbed(eps));
        double[][] x = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            x[i] = train.row(rows[i]);
            if (augmentation != null) {
                augmentation.apply(x[i], values[i], hp, rnd);
            }
        }
        Map<String, INDArray> masks = new LinkedHashMap<>();
        for (StnNetwork.DropoutSite site : network.dropoutSites()) {
            masks.put(site.maskName(), dropoutMask(site, values, hp.indexOf(site.hyperparameter()), rnd));
        }
        Map<String, INDArray> feed = network.feed(Nd4j.create(x), Nd4j.pullRows(trainTargets, 1, rows), eps, 1.0, masks);
        StnNetwork.LossAndGradients lg = network.lossAndGradients(feed, network.weightNames());
        requireFinite("training loss or gradient at training step", trainStep, lg.loss(), lg.gradients());
        weightOptimizer.step(network.weights(), lg.gradients());
        requireFinite("weights after training step", trainStep, 0, network.weights());
        trainStep++;
        return lg.loss();
    }

    /** One hyper step; returns the validation loss {@code L_V} at the perturbed hyperparameters. */
    private double hyperStep() {
        int[] rows = MinibatchSchedule.rows(validation.numExamples(), config.validationBatchSize(), config.seed(), SeedStream.VALIDATION_BATCHES, hyperStep);
        Random rnd = SeedStream.HYPER_STEP_NOISE.random(config.seed(), hyperStep);
        StnNetwork.LossAndGradients lg = validationLossAndHypergradient(rows, gaussian(rows.length, hp.count(), rnd));
        INDArray scaleGradient = lg.gradients().get(StnHyperparameters.SCALE);
        if (config.tuneScale()) {
            scaleGradient.subi(hp.entropyGradient(scaleGradient.dataType()).muli(config.entropyWeight()));
        } else {
            scaleGradient.assign(0);
        }
        requireFinite("validation loss or hypergradient at hyper step", hyperStep, lg.loss(), lg.gradients());
        hyperOptimizer.step(hp.asParamVector(), lg.gradients());
        requireFinite("hyperparameters after hyper step", hyperStep, 0, hp.asParamVector());
        hyperStep++;
        return lg.loss();
    }

    /**
     * The validation loss {@code L_V} of a hyper step on validation rows {@code rows} with noise {@code eps}
     * [rows][h], and its gradient with respect to {@code λ} and {@code ρ} (without the entropy term), without
     * updating anything: for tests and diagnostics.
     */
    public StnNetwork.LossAndGradients validationLossAndHypergradient(int[] rows, double[][] eps) {
        Map<String, INDArray> feed = network.feed(Nd4j.pullRows(validationInputs, 1, rows), Nd4j.pullRows(validationTargets, 1, rows), eps, 0.0, null);
        return network.lossAndGradients(feed, network.hyperparameterNames());
    }

    /**
     * Inverted dropout mask of the site's mask shape: entries {@code 0} with probability {@code p_i}, else {@code 1/(1 − p_i)},
     * per example {@code i} (one entry per channel for a channel-dropout site).
     */
    private INDArray dropoutMask(StnNetwork.DropoutSite site, double[][] values, int column, Random rnd) {
        long[] shape = site.maskShape(values.length);
        int perExample = (int) java.util.Arrays.stream(site.shape()).reduce(1, (a, b) -> a * b);
        double[] mask = new double[values.length * perExample];
        for (int i = 0; i < values.length; i++) {
            double p = values[i][column];
            double kept = 1.0 / (1.0 - p);
            for (int k = 0; k < perExample; k++) {
                mask[i * perExample + k] = rnd.nextDouble() < p ? 0.0 : kept;
            }
        }
        return Nd4j.createFromArray(mask).reshape(shape).castTo(network.dataType());
    }

    private static double[][] gaussian(int rows, int cols, Random rnd) {
        double[][] e = new double[rows][cols];
        for (double[] r : e) {
            for (int j = 0; j < cols; j++) {
                r[j] = rnd.nextGaussian();
            }
        }
        return e;
    }

    /** Loss and accuracy on {@code data} at the current {@code λ} (no perturbation, dropout or augmentation). */
    public BilevelProblem.Evaluation evaluate(Dataset data) {
        return network.evaluate(checkData(data).toFeatures(network.dataType()), data.toOneHotLabels(network.dataType()), EVALUATION_BATCH);
    }

    @Override
    protected Record configuration() {
        return config;
    }
}
