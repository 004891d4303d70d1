package org.hypergrad4j.bilevel.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.NonFiniteValueException;
import org.hypergrad4j.hypergrad.ReverseUnrolledHypergradient;
import org.hypergrad4j.hypergrad.SgdSchedule;
import org.hypergrad4j.hypergrad.StepFeeds;
import org.hypergrad4j.hypergrad.UnrolledHypergradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Joint training with reverse-mode unrolled hypergradients (Maclaurin et al. 2015), which also tune the
 * inner optimiser's own hyperparameters. Each hyper-step trains {@code unrolledSteps} of SGD with momentum
 * ({@code v ← γv − (1−γ)g}, {@code w ← w + αv}) from the current weights on seeded minibatches,
 * differentiates the validation loss back through them (all steps, or the last {@code truncation}), and
 * updates the problem's hyperparameters with {@code outer}, and the learning rate and momentum, kept as
 * {@code log α} and {@code logit γ}, with {@code optimizerOuter}: {@code ∂L_V/∂log α = α Σ_t ∂L_V/∂α_t},
 * {@code ∂L_V/∂logit γ = γ(1−γ) ∂L_V/∂γ}.
 */
public final class UnrolledJointTrainer {

    /**
     * @param hyperSteps          outer iterations, at least 1
     * @param unrolledSteps       SGD steps per hyper-step, differentiated through, at least 1
     * @param truncation          differentiate only the last this many steps; 0 for all
     * @param batchSize           minibatch size; 0 for full batch
     * @param seed                seeds the minibatch order
     * @param learningRate        initial α, positive
     * @param momentum            initial γ, in (0, 1)
     * @param tuneLearningRate    whether α is a hyperparameter
     * @param tuneMomentum        whether γ is a hyperparameter
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
                throw new IllegalArgumentException("The initial momentum must lie in (0, 1) (it is tuned as logit γ), got " + momentum + ".");
            }
        }
    }

    /** One hyper-step's outcome. */
    public record Step(int hyperStep, double validationLoss, double learningRate, double momentum, double hypergradientNorm) {
    }

    private final BilevelProblem problem;
    private final Optimizer outer;
    private final Optimizer optimizerOuter;
    private final Config config;
    private final ParamVector optimizerRaw;
    private final List<Step> history = new ArrayList<>();
    private long globalStep;

    public UnrolledJointTrainer(BilevelProblem problem, Optimizer outer, Optimizer optimizerOuter, Config config) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.outer = Objects.requireNonNull(outer, "outer");
        this.optimizerOuter = Objects.requireNonNull(optimizerOuter, "optimizerOuter");
        this.config = Objects.requireNonNull(config, "config");
        if (config.batchSize() > problem.trainingData().size()) {
            throw new IllegalArgumentException("Batch size " + config.batchSize() + " exceeds the " + problem.trainingData().size()
                    + " training examples.");
        }
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> raw = new LinkedHashMap<>();
        raw.put("log_learning_rate", Nd4j.scalar(Math.log(config.learningRate())).reshape(1));
        raw.put("logit_momentum", Nd4j.scalar(Math.log(config.momentum() / (1 - config.momentum()))).reshape(1));
        this.optimizerRaw = ParamVector.wrap(raw);
    }

    /** The current learning rate α. */
    public double learningRate() {
        return Math.exp(optimizerRaw.get("log_learning_rate").getDouble(0));
    }

    /** The current momentum γ. */
    public double momentum() {
        return 1 / (1 + Math.exp(-optimizerRaw.get("logit_momentum").getDouble(0)));
    }

    /** Hyper-steps so far, in order. */
    public List<Step> history() {
        return List.copyOf(history);
    }

    /**
     * Runs all hyper-steps.
     *
     * @throws NonFiniteValueException if a loss or gradient becomes NaN or infinite (weights then hold the
     *         last hyper-step's start, restored)
     */
    public List<Step> run() {
        for (int k = 0; k < config.hyperSteps(); k++) {
            double alpha = learningRate();
            double gamma = momentum();
            SgdSchedule schedule = SgdSchedule.constant(config.unrolledSteps(), alpha, gamma);
            long offset = globalStep;
            StepFeeds feeds = t -> problem.trainingFeed(batchRows(offset + t), offset + t);
            ReverseUnrolledHypergradient method = config.truncation() == 0
                    ? ReverseUnrolledHypergradient.full(schedule, feeds)
                    : ReverseUnrolledHypergradient.truncated(schedule, feeds, config.truncation());
            ParamVector start = problem.weights().dup();
            UnrolledHypergradient u;
            try {
                u = method.computeUnrolled(problem.hypergradientProblem(problem.fullTrainingFeed(-1L - k)));
            } catch (NonFiniteValueException e) {
                problem.weights().assignInPlace(start);
                throw e;
            }
            globalStep += config.unrolledSteps();
            outer.step(problem.hyperparameters(), u.result().hypergradient());
            double[] optimizerGradient = {
                config.tuneLearningRate() ? alpha * u.globalLearningRateGradient() : 0.0,
                config.tuneMomentum() ? gamma * (1 - gamma) * u.momentumGradient() : 0.0};
            optimizerOuter.step(optimizerRaw, optimizerRaw.withValues(optimizerGradient));
            history.add(new Step(k + 1, u.result().validationLoss(), learningRate(), momentum(), u.result().hypergradient().norm2()));
        }
        return history();
    }

    /** The training rows of step {@code s} (see {@link MinibatchSchedule}). */
    int[] batchRows(long s) {
        return MinibatchSchedule.rows(problem.trainingData().size(), config.batchSize(), config.seed(), s);
    }
}
