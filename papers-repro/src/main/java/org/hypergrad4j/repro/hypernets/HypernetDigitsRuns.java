package org.hypergrad4j.repro.hypernets;

import org.hypergrad4j.data.Splits;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.hypernets.hypernet.DecayScope;
import org.hypergrad4j.hypernets.hypernet.HypernetArchitecture;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.hypernets.hypernet.HypernetTrainer;
import org.hypergrad4j.hypernets.hypernet.HypernetTrainerConfig;
import org.hypergrad4j.hypernets.hypernet.HypernetworkObjective;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.hypergrad4j.hypernets.hypernet.LambdaDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hypernetwork HPO experiments on the bundled digits (Lorraine and Duvenaud 2018; Ortiz et al. 2024), at a
 * reduced scale that runs in seconds on a 2-core CPU. A linear softmax classifier with weight decay
 * {@code exp(λ) Σ W²} (biases not decayed), as in the bilevel module's {@code WeightDecay}:
 * <ul>
 *   <li>{@link #gridSearch}: the black-box reference — the classifier trained to convergence
 *       ({@link SoftmaxRegressionFit}) at each grid value of a global {@code λ}, scored by its validation loss;</li>
 *   <li>{@link #globalHypernet}: a hypernetwork trained over {@code λ ~ U(range)}, its predicted validation loss
 *       scanned over {@code λ}, and {@code λ̂} tuned by gradient descent on it;</li>
 *   <li>{@link #stepsToTarget}: how many hypernetwork updates reach a target training objective (MIP against plain);</li>
 *   <li>{@link #jointPerWeight}: the local (joint) mode with one decay per weight.</li>
 * </ul>
 */
public final class HypernetDigitsRuns {
    private HypernetDigitsRuns() {
    }


    /** Digits split stratified 50/25/25 with {@code seed}, standardised on the training part. */
    public static Split digits(long seed) {
        return Splits.standardised(BundledDatasets.digits(), 0.5, 0.25, 0.25, seed);
    }

    /**
     * One grid point: the classifier trained at global decay {@code exp(λ)}.
     *
     * @param trainingObjective {@code L_T(w*(λ), λ)} at the solution (cross-entropy plus decay)
     * @param converged         whether L-BFGS reached the gradient tolerance
     */
    public record GridPoint(double lambda, double validationLoss, double trainingObjective, int iterations, boolean converged) {
    }

    /**
     * Trains the classifier at each {@code λ} to convergence ({@link SoftmaxRegressionFit}: L-BFGS in float64 until
     * {@code ‖∇_w L_T‖ ≤ gradientTolerance} or {@code maxIterations}) and scores it on the validation set.
     */
    public static List<GridPoint> gridSearch(Split parts, double[] lambdas, double gradientTolerance, int maxIterations) {
        SoftmaxRegressionFit fitter = new SoftmaxRegressionFit(parts.train());
        List<GridPoint> points = new ArrayList<>();
        for (double lambda : lambdas) {
            SoftmaxRegressionFit.Fit fit = fitter.fitGlobal(lambda, gradientTolerance, maxIterations);
            points.add(new GridPoint(lambda, SoftmaxRegressionFit.crossEntropy(fit.weights(), parts.validation()), fit.objective(),
                    fit.iterations(), fit.converged()));
        }
        return points;
    }

    /** The grid point with the smallest validation loss. */
    public static GridPoint best(List<GridPoint> grid) {
        GridPoint best = null;
        for (GridPoint g : grid) {
            if (best == null || g.validationLoss() < best.validationLoss()) {
                best = g;
            }
        }
        return Objects.requireNonNull(best, "empty grid");
    }

    /**
     * Settings of a hypernetwork run (recorded with the results).
     *
     * @param hypernetSteps       φ updates
     * @param hyperparameterSteps global mode: λ̂ updates after training φ
     * @param hypernetRate        Adam learning rate for φ (the authors use 1e-4 at full scale)
     * @param hyperparameterRate  Adam learning rate for λ̂
     * @param batchSize           training examples per φ update
     * @param samplesPerBatch     λ draws per minibatch (the authors use 2)
     * @param seed                initialisation, minibatches and λ draws
     */
    public record Settings(int hypernetSteps, int hyperparameterSteps, double hypernetRate, double hyperparameterRate, int batchSize,
                           int samplesPerBatch, long seed) {
    }

    /**
     * The global hypernetwork's result.
     *
     * @param scanLambdas         the λ values scanned
     * @param scanLosses          the predicted validation loss {@code L_V(w_φ(λ))} at each
     * @param scanArgmin          the scanned λ with the smallest predicted validation loss
     * @param tunedLambda         λ̂ after the gradient steps on the predicted validation loss
     * @param tunedValidationLoss {@code L_V(w_φ(λ̂))} at the tuned λ̂
     */
    public record GlobalResult(double[] scanLambdas, double[] scanLosses, double scanArgmin, double tunedLambda, double tunedValidationLoss,
                               TrainingSummary summary, double seconds) {
    }

    /**
     * Trains {@code architecture} in global mode with {@code λ ~ U(range)}, scans its predicted validation loss at
     * {@code scanPoints} evenly spaced λ, then tunes λ̂ (starting at {@code initialLambda}) by Adam on it.
     */
    public static GlobalResult globalHypernet(Split parts, HypernetArchitecture architecture, HyperparameterRange range, Settings s,
                                              double initialLambda, int scanPoints, TrainingListener<HypernetTrainer.StepEvent> listener) {
        long start = System.nanoTime();
        HypernetworkObjective objective = HypernetworkObjective.builder(parts.train().numFeatures(), parts.train().numClasses())
                .scope(DecayScope.GLOBAL).range(range).architecture(architecture).seed(s.seed()).initialLambda(initialLambda).build();
        HypernetTrainerConfig config = HypernetTrainerConfig.global(s.hypernetSteps(), s.hyperparameterSteps()).withBatchSize(s.batchSize())
                .withSamplesPerBatch(s.samplesPerBatch()).withSeed(s.seed());
        HypernetTrainer trainer = new HypernetTrainer(objective, parts.train(), parts.validation(), LambdaDistribution.uniform(range),
                new Adam(s.hypernetRate()), new Adam(s.hyperparameterRate()), config);
        if (listener != null) {
            trainer.addListener(listener);
        }
        TrainingSummary phiSummary = trainer.runUntil(s.hypernetSteps());
        double[] scan = range.grid(scanPoints);
        double[][] lambdas = new double[scan.length][];
        for (int i = 0; i < scan.length; i++) {
            lambdas[i] = new double[] {scan[i]};
        }
        INDArray vx = parts.validation().toFeatures(objective.dataType());
        INDArray vy = parts.validation().toOneHotLabels(objective.dataType());
        double[] losses = objective.crossEntropies(vx, vy, lambdas);
        int arg = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[arg]) {
                arg = i;
            }
        }
        TrainingSummary summary = phiSummary.status() != TrainingSummary.Status.DIVERGED ? trainer.run() : phiSummary;
        double tuned = objective.lambdaHat()[0];
        double tunedLoss = objective.crossEntropies(vx, vy, new double[][] {{tuned}})[0];
        return new GlobalResult(scan, losses, scan[arg], tuned, tunedLoss, summary, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Steps to a target training objective.
     *
     * @param steps        φ updates after which the evaluated objective first was at or below the target; -1 if never
     * @param evaluations  the evaluated objective after every {@code evaluateEvery} updates (index 0: before training)
     */
    public record StepsToTarget(int steps, double[] evaluations) {
        public double finalObjective() {
            return evaluations[evaluations.length - 1];
        }
    }

    /**
     * Trains {@code architecture} in global mode over {@code λ ~ U(range)} (Adam at {@code rate}), evaluating the
     * training objective {@code (1/|Λ|) Σ_{λ∈Λ} L_T(w_φ(λ), λ)} on the whole training set for the fixed set
     * {@code Λ = evaluationLambdas} every {@code evaluateEvery} updates, until it is at or below {@code target} or
     * {@code maxSteps} updates are done.
     */
    public static StepsToTarget stepsToTarget(Split parts, HypernetArchitecture architecture, HyperparameterRange range, double rate,
                                              int batchSize, long seed, double[] evaluationLambdas, double target, int maxSteps,
                                              int evaluateEvery) {
        HypernetworkObjective objective = HypernetworkObjective.builder(parts.train().numFeatures(), parts.train().numClasses())
                .scope(DecayScope.GLOBAL).range(range).architecture(architecture).seed(seed).build();
        HypernetTrainerConfig config = HypernetTrainerConfig.global(maxSteps, 0).withBatchSize(batchSize).withSeed(seed);
        HypernetTrainer trainer = new HypernetTrainer(objective, parts.train(), parts.validation(), LambdaDistribution.uniform(range),
                new Adam(rate), new Adam(rate), config);
        INDArray tx = parts.train().toFeatures(objective.dataType());
        INDArray ty = parts.train().toOneHotLabels(objective.dataType());
        double[][] lambdas = new double[evaluationLambdas.length][];
        for (int i = 0; i < lambdas.length; i++) {
            lambdas[i] = new double[] {evaluationLambdas[i]};
        }
        List<Double> curve = new ArrayList<>();
        curve.add(objective.trainingObjective(tx, ty, lambdas));
        int reached = curve.get(0) <= target ? 0 : -1;
        while (reached < 0 && trainer.stepsDone() < maxSteps) {
            TrainingSummary s = trainer.runUntil(Math.min(maxSteps, trainer.stepsDone() + evaluateEvery));
            if (s.status() == TrainingSummary.Status.DIVERGED) {
                break;
            }
            double value = objective.trainingObjective(tx, ty, lambdas);
            curve.add(value);
            if (value <= target) {
                reached = (int) trainer.stepsDone();
            }
        }
        return new StepsToTarget(reached, curve.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The joint (local) mode's result.
     *
     * @param initialValidationLoss {@code L_V(w_φ(λ̂₀))} before training (untrained hypernetwork)
     * @param predictedValidationLoss {@code L_V(w_φ(λ̂))} of the hypernetwork's own prediction at the end
     * @param refitValidationLoss   the validation loss of the classifier trained to convergence at the final per-weight λ̂
     * @param meanLambda            the mean of the final λ̂
     */
    public record JointResult(double initialValidationLoss, double predictedValidationLoss, double refitValidationLoss, double meanLambda,
                              double minLambda, double maxLambda, TrainingSummary summary) {
    }

    /**
     * Joint (local) mode with one decay per weight, λ̂ starting at {@code initialLambda}: each step one φ update with
     * {@code λ_s ~ N(λ̂, σ²)} and one λ̂ update on the whole validation set. The final λ̂ is checked by training the
     * classifier to convergence at it ({@link SoftmaxRegressionFit}) and scoring the validation loss.
     */
    public static JointResult jointPerWeight(Split parts, HypernetArchitecture architecture, HyperparameterRange range, double initialLambda,
                                             double sigma, Settings s, double gradientTolerance, int maxIterations, TrainingListener<HypernetTrainer.StepEvent> listener) {
        HypernetworkObjective objective = HypernetworkObjective.builder(parts.train().numFeatures(), parts.train().numClasses())
                .scope(DecayScope.PER_WEIGHT).range(range).architecture(architecture).seed(s.seed()).initialLambda(initialLambda).build();
        HypernetTrainerConfig config = HypernetTrainerConfig.joint(s.hypernetSteps(), sigma).withBatchSize(s.batchSize())
                .withSamplesPerBatch(s.samplesPerBatch()).withSeed(s.seed());
        HypernetTrainer trainer = new HypernetTrainer(objective, parts.train(), parts.validation(), null, new Adam(s.hypernetRate()),
                new Adam(s.hyperparameterRate()), config);
        if (listener != null) {
            trainer.addListener(listener);
        }
        INDArray vx = parts.validation().toFeatures(objective.dataType());
        INDArray vy = parts.validation().toOneHotLabels(objective.dataType());
        double initial = objective.validationLossAndGradient(vx, vy).value();
        TrainingSummary summary = trainer.run();
        double predicted = objective.validationLossAndGradient(vx, vy).value();
        double[] hat = objective.lambdaHat();

        SoftmaxRegressionFit.Fit fit = new SoftmaxRegressionFit(parts.train()).fit(hat, gradientTolerance, maxIterations);
        double refit = SoftmaxRegressionFit.crossEntropy(fit.weights(), parts.validation());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double h : hat) {
            min = Math.min(min, h);
            max = Math.max(max, h);
            sum += h;
        }
        return new JointResult(initial, predicted, refit, sum / hat.length, min, max, summary);
    }
}
