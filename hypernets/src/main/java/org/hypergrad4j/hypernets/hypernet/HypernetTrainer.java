package org.hypergrad4j.hypernets.hypernet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.io.PrintStream;
import java.util.SplittableRandom;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingLoop;
import org.hypergrad4j.bilevel.train.TrainingState;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.bilevel.train.UnitEvent;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.NonFiniteValueException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a {@link HypernetworkObjective} (Lorraine and Duvenaud 2018) in global or joint mode (see
 * {@link HypernetTrainerConfig}): {@code φ} with one optimiser on the training objective
 * {@code (1/S) Σ_s L_T(w_φ(λ_s), λ_s)}, {@code λ̂} with another on the validation loss {@code L_V(w_φ(λ̂))}.
 *
 * <p>Determinism: the minibatch and the {@code λ} draws of step {@code t} are functions of the seed and
 * {@code t} only, so the same seed gives the same numbers and a run resumed from a checkpoint ends bit-identical
 * to an uninterrupted one. A checkpoint holds {@code φ}, {@code λ̂}, both optimisers' states and the step counter.
 *
 * <p>One step is one {@link TrainingLoop} unit. Failure is the loop's: NaN, infinity or a blown-up loss
 * restores the state after the last good step, tells the listeners which stage failed, and ends the run with
 * {@link TrainingSummary.Status#DIVERGED}; nothing computed from the bad values is kept.
 */
public final class HypernetTrainer extends TrainingLoop<HypernetTrainer.StepEvent, HypernetTrainer> {
    // Offsets of the seed for three independent random streams (the first SHA-256 hash words: arbitrary, fixed), so
    // that one seed's minibatches, λ draws and validation batches are unrelated to each other.

    private final HypernetworkObjective objective;
    private final LambdaDistribution distribution;
    private final Optimizer hypernetOptimizer;
    private final Optimizer hyperparameterOptimizer;
    private final HypernetTrainerConfig config;
    private final INDArray trainX;
    private final INDArray trainY;
    private final INDArray validationX;
    private final INDArray validationY;
    private long step;

    /** What a step updated. */
    public enum Phase {
        /** global mode, first part: φ only */
        HYPERNET,
        /** global mode, second part: λ̂ only */
        HYPERPARAMETER,
        /** joint mode: φ, then λ̂ */
        JOINT
    }

    /**
     * One step's outcome, the loop's unit event.
     *
     * @param step                       steps done, counting this one (from 1)
     * @param phase                      what was updated
     * @param trainingObjective          the minibatch training objective before the φ update (NaN if φ was not updated)
     * @param validationLoss             the validation loss before the λ̂ update (NaN if λ̂ was not updated)
     * @param hypernetGradientNorm       {@code ‖∂/∂φ‖} (NaN if φ was not updated)
     * @param hyperparameterGradientNorm {@code ‖∂L_V/∂λ̂‖} (NaN if λ̂ was not updated)
     * @param meanLambdaHat              the mean of {@code λ̂} after the step
     * @param seconds                    wall time of the run so far
     */
    public record StepEvent(long step, Phase phase, double trainingObjective, double validationLoss, double hypernetGradientNorm,
                            double hyperparameterGradientNorm, double meanLambdaHat, double seconds) implements UnitEvent {
        @Override
        public long unit() {
            return step;
        }

        /** The training objective where φ was updated, else the validation loss. */
        @Override
        public double monitoredLoss() {
            return phase == Phase.HYPERPARAMETER ? validationLoss : trainingObjective;
        }
    }

    /** Prints one line every {@code every} steps, and every recovery and checkpoint, to {@code out}. */
    public static TrainingListener<StepEvent> printing(PrintStream out, int every) {
        Objects.requireNonNull(out, "out");
        if (every < 1) {
            throw new IllegalArgumentException("Print every at least 1 step, got " + every + ".");
        }
        return new TrainingListener<>() {
            @Override
            public void onUnit(StepEvent e) {
                if (e.step() % every == 0) {
                    out.printf("step %d [%s] training objective %.5f, validation loss %.5f, |grad φ| %.3e, |grad λ̂| %.3e, mean λ̂ %.4f, %.1f s%n",
                            e.step(), e.phase().name().toLowerCase(), e.trainingObjective(), e.validationLoss(), e.hypernetGradientNorm(),
                            e.hyperparameterGradientNorm(), e.meanLambdaHat(), e.seconds());
                }
            }

            @Override
            public void onRecovery(Recovery e) {
                out.println("recovered: " + e.message());
            }

            @Override
            public void onCheckpoint(CheckpointEvent e) {
                out.println("checkpoint after step " + e.unit() + " in " + e.folder());
            }
        };
    }

    /**
     * @param distribution {@code p(λ)} for global mode; ignored (may be null) in joint mode
     * @throws IllegalArgumentException if the data do not fit the objective's classifier, a batch is larger than its
     *                                  data set, global mode lacks a distribution, or both optimisers are one object
     */
    public HypernetTrainer(HypernetworkObjective objective, Dataset training, Dataset validation, LambdaDistribution distribution,
                           Optimizer hypernetOptimizer, Optimizer hyperparameterOptimizer, HypernetTrainerConfig config) {
        super("step", 0, Objects.requireNonNull(config, "config").checkpointEvery());
        this.objective = Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
        this.hypernetOptimizer = Objects.requireNonNull(hypernetOptimizer, "hypernetOptimizer");
        this.hyperparameterOptimizer = Objects.requireNonNull(hyperparameterOptimizer, "hyperparameterOptimizer");
        this.config = Objects.requireNonNull(config, "config");
        if (hypernetOptimizer == hyperparameterOptimizer) {
            throw new IllegalArgumentException("φ and λ̂ need two optimiser objects: one object would mix their moment estimates.");
        }
        if (config.mode() == HypernetTrainerConfig.Mode.GLOBAL && distribution == null) {
            throw new IllegalArgumentException("Global mode needs a distribution p(λ) to draw hyperparameters from, e.g. "
                    + "LambdaDistribution.uniform(objective.range()).");
        }
        this.distribution = distribution;
        for (Dataset d : List.of(training, validation)) {
            if (d.numFeatures() != objective.featureCount() || d.numClasses() != objective.classCount()) {
                throw new IllegalArgumentException("Data set '" + d.name() + "' has " + d.numFeatures() + " features and " + d.numClasses()
                        + " classes, but the hypernetwork's classifier has " + objective.featureCount() + " and " + objective.classCount() + ".");
            }
        }
        if (config.batchSize() > training.numExamples()) {
            throw new IllegalArgumentException("Batch size " + config.batchSize() + " exceeds the " + training.numExamples() + " training examples of '"
                    + training.name() + "'.");
        }
        if (config.validationBatchSize() > validation.numExamples()) {
            throw new IllegalArgumentException("Validation batch size " + config.validationBatchSize() + " exceeds the " + validation.numExamples()
                    + " validation examples of '" + validation.name() + "'.");
        }
        this.trainX = training.toFeatures(objective.dataType());
        this.trainY = training.toOneHotLabels(objective.dataType());
        this.validationX = validation.toFeatures(objective.dataType());
        this.validationY = validation.toOneHotLabels(objective.dataType());
    }

    public HypernetworkObjective objective() {
        return objective;
    }

    public HypernetTrainerConfig config() {
        return config;
    }

    /** Steps completed (and kept) so far. */
    public long stepsDone() {
        return unitsDone();
    }

    /**
     * Runs until {@code stepsDone() == until} (or a failure stops the run).
     *
     * @throws IllegalArgumentException if {@code until} is beyond the configured steps or before the steps done
     */
    public TrainingSummary runUntil(long until) {
        if (until > config.totalSteps() || until < step) {
            throw new IllegalArgumentException("Cannot run until step " + until + ": " + step + " steps are done and the run has "
                    + config.totalSteps() + ".");
        }
        return runFor(until - step);
    }

    @Override
    protected long totalUnits() {
        return config.totalSteps();
    }

    @Override
    protected StepEvent runUnit(long unit) {
        StepEvent event = takeStep();
        step++;
        return event;
    }

    /** One step (number {@code step + 1}); throws {@link NonFiniteValueException} before keeping anything non-finite. */
    private StepEvent takeStep() {
        boolean global = config.mode() == HypernetTrainerConfig.Mode.GLOBAL;
        Phase phase = !global ? Phase.JOINT : step < config.hypernetSteps() ? Phase.HYPERNET : Phase.HYPERPARAMETER;
        double training = Double.NaN;
        double validation = Double.NaN;
        double phiNorm = Double.NaN;
        double lambdaNorm = Double.NaN;
        if (phase != Phase.HYPERPARAMETER) {
            int[] rows = MinibatchSchedule.rows((int) trainX.size(0), config.batchSize(), config.seed(), SeedStream.TRAINING_BATCHES, step);
            HypernetworkObjective.ValueAndGradient vg = objective.trainingObjectiveAndGradient(pullRows(trainX, rows), pullRows(trainY, rows),
                    drawLambdas());
            check("training objective and its gradient ∂/∂φ at step " + (step + 1), vg);
            hypernetOptimizer.step(objective.hypernetParameters(), vg.gradient());
            checkParameters("hypernetwork parameters φ after step " + (step + 1), objective.hypernetParameters());
            training = vg.value();
            phiNorm = vg.gradient().norm2();
        }
        if (phase != Phase.HYPERNET) {
            HypernetworkObjective.ValueAndGradient vg;
            if (config.validationBatchSize() == 0) {
                vg = objective.validationLossAndGradient(validationX, validationY);
            } else {
                int[] rows = MinibatchSchedule.rows((int) validationX.size(0), config.validationBatchSize(), config.seed(), SeedStream.VALIDATION_BATCHES, step);
                vg = objective.validationLossAndGradient(pullRows(validationX, rows), pullRows(validationY, rows));
            }
            check("validation loss and its gradient ∂L_V/∂λ̂ at step " + (step + 1), vg);
            hyperparameterOptimizer.step(objective.hyperparameters(), vg.gradient());
            if (global) {
                // The hypernetwork was trained on the range only: outside it its predictions mean nothing.
                INDArray hat = objective.hyperparameters().get(HypernetworkObjective.LAMBDA_HAT);
                HyperparameterRange r = objective.range();
                hat.assign(Transforms.max(Transforms.min(hat, r.upper(), true), r.lower(), false));
            }
            checkParameters("hyperparameters λ̂ after step " + (step + 1), objective.hyperparameters());
            validation = vg.value();
            lambdaNorm = vg.gradient().norm2();
        }
        double meanHat = objective.hyperparameters().get(HypernetworkObjective.LAMBDA_HAT).meanNumber().doubleValue();
        return new StepEvent(step + 1, phase, training, validation, phiNorm, lambdaNorm, meanHat, elapsedSeconds());
    }

    /** The {@code λ} draws of the current step: from {@code p(λ)} (global) or {@code N(λ̂, σ²)} (joint). */
    private double[][] drawLambdas() {
        SplittableRandom random = SeedStream.HYPERPARAMETER_DRAWS.splittable(config.seed(), step);
        int m = objective.hyperparameterCount();
        double[][] lambdas = new double[config.samplesPerBatch()][];
        double[] hat = config.mode() == HypernetTrainerConfig.Mode.JOINT ? objective.lambdaHat() : null;
        for (int s = 0; s < lambdas.length; s++) {
            if (hat == null) {
                lambdas[s] = distribution.sample(random, m);
                if (lambdas[s] == null || lambdas[s].length != m) {
                    throw new IllegalArgumentException("The distribution " + distribution.describe() + " returned "
                            + (lambdas[s] == null ? "null" : lambdas[s].length + " values") + " for " + m + " hyperparameters.");
                }
            } else {
                lambdas[s] = new double[m];
                for (int j = 0; j < m; j++) {
                    lambdas[s][j] = hat[j] + config.perturbationScale() * random.nextGaussian();
                }
            }
        }
        return lambdas;
    }

    /**
     * The rows {@code rows} of {@code a}, by the native pull-rows op. {@code INDArray.getRows} copies row by row: measured
     * here 16 ms against 0.3 ms for 100 rows of digits' [898, 64] training features, more than a whole training step.
     */
    private static INDArray pullRows(INDArray a, int[] rows) {
        return Nd4j.pullRows(a, 1, rows);
    }


    private static void check(String stage, HypernetworkObjective.ValueAndGradient vg) {
        if (!Double.isFinite(vg.value())) {
            throw new NonFiniteValueException(stage + " (value " + vg.value() + ")", null);
        }
        String bad = vg.gradient().firstNonFinite();
        if (bad != null) {
            throw new NonFiniteValueException(stage, bad);
        }
    }

    private static void checkParameters(String stage, ParamVector v) {
        String bad = v.firstNonFinite();
        if (bad != null) {
            throw new NonFiniteValueException(stage, bad);
        }
    }

    @Override
    protected void saveState(TrainingState s) {
        s.put("step", step);
        s.put("objective", objective.structure());
        s.put("distribution", describeDistribution());
        s.put("phi", objective.hypernetParameters());
        s.put("lambdaHat", objective.hyperparameters());
        s.putOptimizer("hypernetOptimizer", hypernetOptimizer);
        s.putOptimizer("hyperparameterOptimizer", hyperparameterOptimizer);
    }

    @Override
    protected void loadState(TrainingState s) {
        if (!objective.structure().equals(s.string("objective"))) {
            throw new IllegalArgumentException("The checkpoint at " + s.source() + " belongs to " + s.string("objective")
                    + " but this trainer trains " + objective.structure() + ".");
        }
        if (!describeDistribution().equals(s.string("distribution"))) {
            throw new IllegalArgumentException("The checkpoint at " + s.source() + " draws λ from " + s.string("distribution")
                    + " but this trainer draws from " + describeDistribution() + ".");
        }
        s.restoreInto("phi", objective.hypernetParameters(), "hypernetwork");
        s.restoreInto("lambdaHat", objective.hyperparameters(), "hypernetwork");
        s.restoreOptimizer("hypernetOptimizer", hypernetOptimizer);
        s.restoreOptimizer("hyperparameterOptimizer", hyperparameterOptimizer);
        step = s.longValue("step");
    }

    @Override
    protected String configuration() {
        return config.toString();
    }

    private String describeDistribution() {
        return config.mode() == HypernetTrainerConfig.Mode.JOINT ? "N(λ̂, " + config.perturbationScale() + "²)" : distribution.describe();
    }

}
