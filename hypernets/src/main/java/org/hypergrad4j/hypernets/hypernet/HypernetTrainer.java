package org.hypergrad4j.hypernets.hypernet;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.hypergrad4j.bilevel.train.TrainingLoop;
import org.hypergrad4j.bilevel.train.TrainingSummary;
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
    private final HypernetworkObjective objective;
    private final LambdaDistribution distribution;
    private final Optimizer hypernetOptimizer;
    private final Optimizer hyperparameterOptimizer;
    private final HypernetTrainerConfig config;
    private final INDArray trainX;
    private final INDArray trainY;
    private final INDArray validationX;
    private final INDArray validationY;

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
                            double hyperparameterGradientNorm, double meanLambdaHat, double seconds) {
        /** The training objective where φ was updated, else the validation loss: the loss the loop watches. */
        public double monitoredLoss() {
            return phase == Phase.HYPERPARAMETER ? validationLoss : trainingObjective;
        }
    }

    /**
     * @param distribution {@code p(λ)} for global mode; ignored (may be null) in joint mode
     * @throws IllegalArgumentException if the data do not fit the objective's classifier, a batch is larger than its
     *                                  data set, global mode lacks a distribution, or both optimisers are one object
     */
    public HypernetTrainer(HypernetworkObjective objective, Dataset training, Dataset validation, LambdaDistribution distribution,
                           Optimizer hypernetOptimizer, Optimizer hyperparameterOptimizer, HypernetTrainerConfig config) {
        super("step", StepEvent.class, StepEvent::monitoredLoss);
        this.objective = Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
        this.hypernetOptimizer = Objects.requireNonNull(hypernetOptimizer, "hypernetOptimizer");
        this.hyperparameterOptimizer = Objects.requireNonNull(hyperparameterOptimizer, "hyperparameterOptimizer");
        this.config = Objects.requireNonNull(config, "config");
        if (config.mode() == HypernetTrainerConfig.Mode.GLOBAL && distribution == null) {
            throw new IllegalArgumentException("Global mode needs a distribution p(λ) to draw hyperparameters from, e.g. "
                    + "LambdaDistribution.uniform(objective.range()).");
        }
        this.distribution = distribution;
        for (Dataset d : List.of(training, validation)) {
            d.requireShape(objective.featureCount(), objective.classCount(), "the hypernetwork's classifier");
        }
        requireBatchFits(config.batchSize(), training, "Training");
        requireBatchFits(config.validationBatchSize(), validation, "Validation");
        this.trainX = training.toFeatures(objective.dataType());
        this.trainY = training.toOneHotLabels(objective.dataType());
        this.validationX = validation.toFeatures(objective.dataType());
        this.validationY = validation.toOneHotLabels(objective.dataType());
        keep("phi", objective::hypernetParameters);
        keep("lambdaHat", objective::hyperparameters);
        keep("hypernetOptimizer", hypernetOptimizer);
        keep("hyperparameterOptimizer", hyperparameterOptimizer);
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

    @Override
    protected long totalUnits() {
        return config.totalSteps();
    }

    /** Step number {@code unit}; throws {@link NonFiniteValueException} before keeping anything non-finite. */
    @Override
    protected StepEvent runUnit(long unit) {
        long step = unit - 1;
        boolean global = config.mode() == HypernetTrainerConfig.Mode.GLOBAL;
        Phase phase = !global ? Phase.JOINT : step < config.hypernetSteps() ? Phase.HYPERNET : Phase.HYPERPARAMETER;
        double training = Double.NaN;
        double validation = Double.NaN;
        double phiNorm = Double.NaN;
        double lambdaNorm = Double.NaN;
        if (phase != Phase.HYPERPARAMETER) {
            int[] rows = MinibatchSchedule.rows((int) trainX.size(0), config.batchSize(), config.seed(), SeedStream.TRAINING_BATCHES, step);
            HypernetworkObjective.ValueAndGradient vg = objective.trainingObjectiveAndGradient(pullRows(trainX, rows), pullRows(trainY, rows),
                    drawLambdas(step));
            requireFinite("training objective and its gradient ∂/∂φ at step", unit, vg.value(), vg.gradient());
            hypernetOptimizer.step(objective.hypernetParameters(), vg.gradient());
            requireFinite("hypernetwork parameters φ after step", unit, 0, objective.hypernetParameters());
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
            requireFinite("validation loss and its gradient ∂L_V/∂λ̂ at step", unit, vg.value(), vg.gradient());
            hyperparameterOptimizer.step(objective.hyperparameters(), vg.gradient());
            if (global) {
                // The hypernetwork was trained on the range only: outside it its predictions mean nothing.
                INDArray hat = objective.hyperparameters().get(HypernetworkObjective.LAMBDA_HAT);
                HyperparameterRange r = objective.range();
                hat.assign(Transforms.max(Transforms.min(hat, r.upper(), true), r.lower(), false));
            }
            requireFinite("hyperparameters λ̂ after step", unit, 0, objective.hyperparameters());
            validation = vg.value();
            lambdaNorm = vg.gradient().norm2();
        }
        double meanHat = objective.hyperparameters().get(HypernetworkObjective.LAMBDA_HAT).meanNumber().doubleValue();
        return new StepEvent(unit, phase, training, validation, phiNorm, lambdaNorm, meanHat, elapsedSeconds());
    }

    /** The {@code λ} draws of step {@code step} (from 0): from {@code p(λ)} (global) or {@code N(λ̂, σ²)} (joint). */
    private double[][] drawLambdas(long step) {
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


    /** The configuration, the hypernetwork's structure and where λ is drawn from: a resume must match all three. */
    private record Settings(HypernetTrainerConfig config, String objective, String distribution) {
    }

    @Override
    protected Record configuration() {
        return new Settings(config, objective.structure(), config.mode() == HypernetTrainerConfig.Mode.JOINT
                ? "N(λ̂, " + config.perturbationScale() + "²)" : distribution.describe());
    }

}
