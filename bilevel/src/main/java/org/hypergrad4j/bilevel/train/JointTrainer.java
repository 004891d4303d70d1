package org.hypergrad4j.bilevel.train;

import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;

import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientAtWeights;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Joint training of weights and hyperparameters (Lorraine et al. 2020), one {@link TrainingLoop} unit per
 * hyper-step: run {@code innerSteps} updates of the inner optimiser on {@code L_T}, then one update of the
 * outer optimiser on the raw hyperparameters with the chosen {@link HypergradientAtWeights} (a method that differentiates at the current weights; one that trains them itself does not compile here), and project them onto
 * the configured bounds. Weights are warm-started: they carry over between hyper-steps.
 *
 * <p>Determinism: minibatch {@code s} is a function of the seed and {@code s} only, so the same seed gives the
 * same numbers, and a run resumed from a checkpoint ends exactly where an uninterrupted one does. The state
 * holds weights, hyperparameters, both optimisers' states, what the method carries (a warm start) and the inner
 * step counter. Failure handling, checkpoints and listeners are the loop's.
 */
public final class JointTrainer extends TrainingLoop<JointTrainer.HyperStep, JointTrainer> {

    /**
     * One hyper-step's outcome.
     *
     * @param hyperStep    its number, from 1
     * @param innerSteps   weight updates so far
     * @param trainingLoss {@code L_T} after the step (on the hyper-step's training minibatch with hyper-batches);
     *                     the loss the loop watches for divergence
     */
    public record HyperStep(long hyperStep, long innerSteps, double trainingLoss, double validationLoss, double hypergradientNorm,
                            long products, double seconds) {
    }


    private final BilevelProblem problem;
    private final Optimizer inner;
    private final Optimizer outer;
    private final HypergradientAtWeights method;
    private final TrainerConfig config;
    private long innerStep;
    // One gradient buffer for every inner step: each gradient is used before the next is computed.
    private ParamVector gradient;

    public JointTrainer(BilevelProblem problem, Optimizer inner, Optimizer outer, HypergradientAtWeights method, TrainerConfig config) {
        super("hyper-step", HyperStep.class, HyperStep::trainingLoss);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.inner = Objects.requireNonNull(inner, "inner");
        this.outer = Objects.requireNonNull(outer, "outer");
        this.method = Objects.requireNonNull(method, "method");
        this.config = Objects.requireNonNull(config, "config");
        requireBatchFits(config.batchSize(), problem.trainingData(), "Training");
        keep("weights", problem::weights);
        keep("hyperparameters", problem::hyperparameters);
        keep("inner", inner);
        keep("outer", outer);
        keep("method", method);
        keepCounter("innerStep", () -> innerStep, v -> innerStep = v);
    }

    /** The problem this trainer trains. */
    public BilevelProblem problem() {
        return problem;
    }

    /** Hyper-steps completed so far. */
    public long hyperStepsDone() {
        return unitsDone();
    }

    /** Inner steps completed so far. */
    public long innerStepsDone() {
        return innerStep;
    }

    @Override
    protected long totalUnits() {
        return config.hyperSteps();
    }

    @Override
    protected HyperStep runUnit(long hyperStep) {
        if (gradient == null) {
            gradient = problem.weights().zerosLike();
        }
        for (int i = 0; i < config.innerSteps(); i++) {
            double loss = problem.training().lossAndWeightGradientInto(problem.trainingFeed(batchRows(innerStep), SeedStream.TRAINING_NOISE.seed(config.seed(), innerStep)), gradient);
            requireFinite("training loss or gradient at inner step", innerStep, loss, gradient);
            inner.step(problem.weights(), gradient);
            innerStep++;
        }
        // With hyper-batches, the whole training set is never fed (nor its loss computed) during training.
        long index = hyperStep - 1;
        Map<String, INDArray> hyperTraining = config.hyperBatchSize() == 0 ? problem.fullTrainingFeed(SeedStream.HYPER_STEP_NOISE.seed(config.seed(), index))
                : problem.trainingFeed(hyperRows(problem.trainingData().numExamples(), SeedStream.HYPER_TRAINING_BATCHES, index),
                        SeedStream.HYPER_STEP_NOISE.seed(config.seed(), index));
        HypergradientResult h = method.compute(hyperBatchProblem(hyperTraining, index));
        outer.step(problem.hyperparameters(), h.hypergradient());
        // Checked before the projection: clamping would turn a NaN into a bound and hide the failure.
        requireFinite("hyperparameters after the update of hyper-step", hyperStep, 0, problem.hyperparameters());
        project(problem.hyperparameters());
        requireFinite("weights at hyper-step", hyperStep, 0, problem.weights());
        double trainLoss = problem.training().loss(hyperTraining);
        return new HyperStep(hyperStep, innerStep, trainLoss, h.validationLoss(), h.hypergradient().norm2(), h.products(), elapsedSeconds());
    }

    @Override
    protected TrainingListener.EvaluationEvent evaluate(long unit) {
        return new TrainingListener.EvaluationEvent(unit, problem.evaluate(BilevelProblem.Part.TRAIN), problem.evaluate(BilevelProblem.Part.VALIDATION),
                problem.hasTestData() ? problem.evaluate(BilevelProblem.Part.TEST) : null);
    }

    /**
     * The hypergradient problem of hyper-step {@code index} (from 0): whole sets, or with a hyper-batch size, the
     * training and validation minibatches of this hyper-step (streams of their own, keyed by the seed).
     */
    private HypergradientProblem hyperBatchProblem(Map<String, INDArray> hyperTraining, long index) {
        if (config.hyperBatchSize() == 0) {
            return problem.hypergradientProblem(hyperTraining);
        }
        int[] valRows = hyperRows(problem.validationData().numExamples(), SeedStream.VALIDATION_BATCHES, index);
        return problem.hypergradientProblem(hyperTraining, problem.validationFeed(valRows));
    }

    /** The rows of hyper-step {@code index}'s minibatch of a set of {@code n} examples, from its own stream. */
    private int[] hyperRows(int n, SeedStream stream, long index) {
        return MinibatchSchedule.rows(n, Math.min(config.hyperBatchSize(), n), config.seed(), stream, index);
    }

    /** The training rows of step {@code s} (see {@link MinibatchSchedule}). */
    int[] batchRows(long s) {
        return MinibatchSchedule.rows(problem.trainingData().numExamples(), config.batchSize(), config.seed(), SeedStream.TRAINING_BATCHES, s);
    }

    private void project(ParamVector raw) {
        if (Double.isInfinite(config.rawLowerBound()) && Double.isInfinite(config.rawUpperBound())) {
            return;
        }
        for (String n : raw.names()) {
            INDArray a = raw.get(n);
            a.assign(Transforms.max(Transforms.min(a, config.rawUpperBound(), true), config.rawLowerBound(), false));
        }
    }

    @Override
    protected Record configuration() {
        return config;
    }
}
