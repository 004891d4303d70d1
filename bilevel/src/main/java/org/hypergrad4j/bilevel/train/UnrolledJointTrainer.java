package org.hypergrad4j.bilevel.train;

import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.ReverseUnrolledHypergradient;
import org.hypergrad4j.hypergrad.SgdSchedule;
import org.hypergrad4j.hypergrad.StepFeeds;
import org.hypergrad4j.hypergrad.UnrolledHypergradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Joint training with reverse-mode unrolled hypergradients (Maclaurin et al. 2015), which also tune the
 * inner optimiser's own hyperparameters. Each hyper-step trains {@code unrolledSteps} of SGD with momentum
 * in the project's one convention, that of {@code Sgd(η, μ)} ({@code m ← μm + g}, {@code w ← w − ηm}; see
 * {@link SgdSchedule}), from the current weights on seeded minibatches,
 * differentiates the validation loss back through them (all steps, or the last {@code truncation}), and
 * updates the problem's hyperparameters with {@code outer}, and the learning rate and momentum, kept as
 * {@code log η} and {@code logit μ}, with {@code optimizerOuter}: {@code ∂L_V/∂log η = η Σ_t ∂L_V/∂η_t},
 * {@code ∂L_V/∂logit μ = μ(1−μ) ∂L_V/∂μ}. So "learning rate 0.1, momentum 0.9" means the same step here as
 * in {@link JointTrainer} with {@code new Sgd(0.1, 0.9, false)}.
 *
 * <p>One {@link TrainingLoop} unit per hyper-step. The state holds the weights, the hyperparameters,
 * {@code log η} and {@code logit μ}, both outer optimisers' states and the step counter (the loop keeps the history); a
 * resumed run ends bit-identical to an uninterrupted one. Failure is the loop's: NaN or infinity in a
 * hyper-step restores the state before it and ends the run {@link TrainingSummary.Status#DIVERGED}.
 */
public final class UnrolledJointTrainer extends TrainingLoop<UnrolledJointTrainer.Step, UnrolledJointTrainer> {

    /**
     * @param hyperSteps          outer iterations, at least 1
     * @param unrolledSteps       SGD steps per hyper-step, differentiated through, at least 1
     * @param truncation          differentiate only the last this many steps; 0 for all
     * @param batchSize           minibatch size; 0 for full batch
     * @param seed                seeds the minibatch order
     * @param learningRate        initial η, positive
     * @param momentum            initial μ, in (0, 1)
     * @param tuneLearningRate    whether η is a hyperparameter
     * @param tuneMomentum        whether μ is a hyperparameter
     */
    public record Config(int hyperSteps, int unrolledSteps, int truncation, int batchSize, long seed, double learningRate,
                         double momentum, boolean tuneLearningRate, boolean tuneMomentum) {
        public Config {
            if (hyperSteps < 1 || unrolledSteps < 1) {
                throw new IllegalArgumentException("hyperSteps and unrolledSteps must be at least 1, got " + hyperSteps + " and " + unrolledSteps + ".");
            }
            if (truncation < 0 || truncation > unrolledSteps) {
                throw new IllegalArgumentException("truncation must lie in [0, unrolledSteps = " + unrolledSteps + "], got " + truncation + ".");
            }
            if (batchSize < 0) {
                throw new IllegalArgumentException("batchSize must be 0 (full batch) or positive, got " + batchSize + ".");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("The initial learning rate must be positive and finite, got " + learningRate + ".");
            }
            if (!(momentum > 0 && momentum < 1)) {
                throw new IllegalArgumentException("The initial momentum must lie in (0, 1) (it is tuned as logit μ), got " + momentum + ".");
            }
        }
    }

    /** One hyper-step's outcome; the loop watches its validation loss for divergence. */
    public record Step(long hyperStep, double validationLoss, double learningRate, double momentum, double hypergradientNorm) {
    }

    private final BilevelProblem problem;
    private final Optimizer outer;
    private final Optimizer optimizerOuter;
    private final Config config;
    private final ParamVector optimizerRaw;
    private long globalStep;

    public UnrolledJointTrainer(BilevelProblem problem, Optimizer outer, Optimizer optimizerOuter, Config config) {
        super("hyper-step", Step.class, Step::validationLoss);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.outer = Objects.requireNonNull(outer, "outer");
        this.optimizerOuter = Objects.requireNonNull(optimizerOuter, "optimizerOuter");
        this.config = Objects.requireNonNull(config, "config");
        requireBatchFits(config.batchSize(), problem.trainingData(), "Training");
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> raw = new LinkedHashMap<>();
        raw.put("log_learning_rate", Nd4j.scalar(Math.log(config.learningRate())).reshape(1));
        raw.put("logit_momentum", Nd4j.scalar(Math.log(config.momentum() / (1 - config.momentum()))).reshape(1));
        this.optimizerRaw = ParamVector.wrap(raw);
        keep("weights", problem::weights);
        keep("hyperparameters", problem::hyperparameters);
        keep("optimizerHyperparameters", () -> optimizerRaw);
        keep("outer", outer);
        keep("optimizerOuter", optimizerOuter);
        keepCounter("globalStep", () -> globalStep, v -> globalStep = v);
    }

    /** The problem this trainer trains. */
    public BilevelProblem problem() {
        return problem;
    }

    /** The current learning rate η. */
    public double learningRate() {
        return Math.exp(optimizerRaw.get("log_learning_rate").getDouble(0));
    }

    /** The current momentum μ. */
    public double momentum() {
        return 1 / (1 + Math.exp(-optimizerRaw.get("logit_momentum").getDouble(0)));
    }

    @Override
    protected long totalUnits() {
        return config.hyperSteps();
    }

    @Override
    protected Step runUnit(long k) {
        double eta = learningRate();
        double mu = momentum();
        SgdSchedule schedule = SgdSchedule.constant(config.unrolledSteps(), eta, mu);
        long offset = globalStep;
        StepFeeds feeds = t -> problem.trainingFeed(batchRows(offset + t), SeedStream.TRAINING_NOISE.seed(config.seed(), offset + t));
        ReverseUnrolledHypergradient method = config.truncation() == 0
                ? ReverseUnrolledHypergradient.full(schedule, feeds)
                : ReverseUnrolledHypergradient.truncated(schedule, feeds, config.truncation());
        UnrolledHypergradient u = method.computeUnrolled(problem.hypergradientProblem(problem.fullTrainingFeed(SeedStream.HYPER_STEP_NOISE.seed(config.seed(), k))));
        outer.step(problem.hyperparameters(), u.result().hypergradient());
        double[] optimizerGradient = {
            config.tuneLearningRate() ? eta * u.globalLearningRateGradient() : 0.0,
            config.tuneMomentum() ? mu * (1 - mu) * u.momentumGradient() : 0.0};
        optimizerOuter.step(optimizerRaw, optimizerRaw.withValues(optimizerGradient));
        requireFinite("hyperparameters after the update of hyper-step", k, 0, problem.hyperparameters());
        requireFinite("learning rate or momentum after the update of hyper-step", k, 0, optimizerRaw);
        globalStep += config.unrolledSteps();
        return new Step(k, u.result().validationLoss(), learningRate(), momentum(), u.result().hypergradient().norm2());
    }

    @Override
    protected Record configuration() {
        return config;
    }

    /** The training rows of step {@code s} (see {@link MinibatchSchedule}). */
    int[] batchRows(long s) {
        return MinibatchSchedule.rows(problem.trainingData().numExamples(), config.batchSize(), config.seed(), SeedStream.TRAINING_BATCHES, s);
    }
}
