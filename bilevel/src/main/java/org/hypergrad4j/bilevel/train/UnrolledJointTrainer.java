package org.hypergrad4j.bilevel.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
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
 *
 * <p>Checkpoints ({@link #checkpointTo}) hold the weights, the hyperparameters, {@code log α} and
 * {@code logit γ}, both outer optimisers' states, the step counter and the history, in the
 * {@link Checkpoints} format; a resumed run ends bit-identical to an uninterrupted one. NaN or infinity in a
 * hyper-step restores the state before it and is rethrown.
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
    private Path checkpointFolder;
    private int checkpointEvery;

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

    /** Writes a checkpoint to {@code folder} after every {@code every} hyper-steps. */
    public UnrolledJointTrainer checkpointTo(Path folder, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("Checkpoint interval must be at least 1 hyper-step, got " + every + ".");
        }
        this.checkpointFolder = Objects.requireNonNull(folder, "folder");
        this.checkpointEvery = every;
        return this;
    }

    /**
     * Runs the remaining hyper-steps (all of them for a new trainer, the rest after {@link #resumeFrom}).
     *
     * @throws NonFiniteValueException if a loss, gradient or update becomes NaN or infinite; the weights,
     *         hyperparameters, learning rate, momentum and optimiser states are then those before the failed
     *         hyper-step
     */
    public List<Step> run() {
        return runFor(config.hyperSteps());
    }

    /**
     * Runs at most {@code count} more hyper-steps (fewer if the configured number is reached), for example to
     * stop at a checkpoint and continue later; returns the whole history.
     *
     * @throws NonFiniteValueException as {@link #run()}
     */
    public List<Step> runFor(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("The number of hyper-steps to run must be at least 0, got " + count + ".");
        }
        int end = (int) Math.min(config.hyperSteps(), (long) history.size() + count);
        for (int k = history.size(); k < end; k++) {
            double alpha = learningRate();
            double gamma = momentum();
            SgdSchedule schedule = SgdSchedule.constant(config.unrolledSteps(), alpha, gamma);
            long offset = globalStep;
            StepFeeds feeds = t -> problem.trainingFeed(batchRows(offset + t), offset + t);
            ReverseUnrolledHypergradient method = config.truncation() == 0
                    ? ReverseUnrolledHypergradient.full(schedule, feeds)
                    : ReverseUnrolledHypergradient.truncated(schedule, feeds, config.truncation());
            Snapshot start = snapshot();
            UnrolledHypergradient u;
            try {
                u = method.computeUnrolled(problem.hypergradientProblem(problem.fullTrainingFeed(-1L - k)));
                outer.step(problem.hyperparameters(), u.result().hypergradient());
                double[] optimizerGradient = {
                    config.tuneLearningRate() ? alpha * u.globalLearningRateGradient() : 0.0,
                    config.tuneMomentum() ? gamma * (1 - gamma) * u.momentumGradient() : 0.0};
                optimizerOuter.step(optimizerRaw, optimizerRaw.withValues(optimizerGradient));
                String bad = problem.hyperparameters().firstNonFinite();
                if (bad == null) {
                    bad = optimizerRaw.firstNonFinite();
                }
                if (bad != null) {
                    throw new NonFiniteValueException("hyperparameters after hyper-step " + (k + 1), bad);
                }
            } catch (NonFiniteValueException e) {
                restore(start);
                throw e;
            }
            globalStep += config.unrolledSteps();
            history.add(new Step(k + 1, u.result().validationLoss(), learningRate(), momentum(), u.result().hypergradient().norm2()));
            if (checkpointFolder != null && history.size() % checkpointEvery == 0) {
                saveCheckpoint(checkpointFolder);
            }
        }
        return history();
    }

    private record Snapshot(long globalStep, int historySize, ParamVector weights, ParamVector hyperparameters, ParamVector optimizerRaw,
                            Map<String, ParamVector> outerState, long outerSteps, Map<String, ParamVector> optimizerOuterState,
                            long optimizerOuterSteps) {
    }

    private Snapshot snapshot() {
        return new Snapshot(globalStep, history.size(), problem.weights().dup(), problem.hyperparameters().dup(), optimizerRaw.dup(),
                outer.state(), outer.steps(), optimizerOuter.state(), optimizerOuter.steps());
    }

    private void restore(Snapshot s) {
        globalStep = s.globalStep();
        while (history.size() > s.historySize()) {
            history.remove(history.size() - 1);
        }
        problem.weights().assignInPlace(s.weights());
        problem.hyperparameters().assignInPlace(s.hyperparameters());
        optimizerRaw.assignInPlace(s.optimizerRaw());
        outer.restore(s.outerState(), s.outerSteps());
        optimizerOuter.restore(s.optimizerOuterState(), s.optimizerOuterSteps());
    }

    /** Writes the current state, history included, to {@code folder} (atomically; see {@link Checkpoints}). */
    public void saveCheckpoint(Path folder) {
        Snapshot s = snapshot();
        Properties p = new Properties();
        p.setProperty("config", config.toString());
        p.setProperty("globalStep", Long.toString(s.globalStep()));
        p.setProperty("outerOptimizerSteps", Long.toString(s.outerSteps()));
        p.setProperty("optimizerOuterSteps", Long.toString(s.optimizerOuterSteps()));
        p.setProperty("history.size", Integer.toString(history.size()));
        for (int i = 0; i < history.size(); i++) {
            Step h = history.get(i);
            // Doubles as exact bit patterns, so a resumed history equals the uninterrupted one.
            p.setProperty("history." + i, h.hyperStep() + ";" + Double.doubleToLongBits(h.validationLoss()) + ";"
                    + Double.doubleToLongBits(h.learningRate()) + ";" + Double.doubleToLongBits(h.momentum()) + ";"
                    + Double.doubleToLongBits(h.hypergradientNorm()));
        }
        Map<String, ParamVector> groups = new LinkedHashMap<>();
        groups.put("weights", s.weights());
        groups.put("hyperparameters", s.hyperparameters());
        groups.put("optimizerHyperparameters", s.optimizerRaw());
        Checkpoints.putGroups(groups, "outer", s.outerState());
        Checkpoints.putGroups(groups, "optimizerOuter", s.optimizerOuterState());
        Checkpoints.write(folder, p, groups, "hypergrad4j unrolled joint-training checkpoint");
    }

    /**
     * Restores a state written by {@link #saveCheckpoint}; the trainer must be built as for the run that wrote it.
     *
     * @throws IllegalArgumentException if the checkpoint is missing, incomplete, or written with another configuration or problem
     */
    public UnrolledJointTrainer resumeFrom(Path folder) {
        Properties p = Checkpoints.readProperties(folder, config);
        ParamVector w = Checkpoints.readGroupFitting(folder, p, "weights", problem.weights(), "problem");
        ParamVector h = Checkpoints.readGroupFitting(folder, p, "hyperparameters", problem.hyperparameters(), "problem");
        int size = (int) Checkpoints.longProperty(folder, p, "history.size");
        history.clear();
        for (int i = 0; i < size; i++) {
            String[] f = p.getProperty("history." + i).split(";");
            history.add(new Step(Integer.parseInt(f[0]), Double.longBitsToDouble(Long.parseLong(f[1])), Double.longBitsToDouble(Long.parseLong(f[2])),
                    Double.longBitsToDouble(Long.parseLong(f[3])), Double.longBitsToDouble(Long.parseLong(f[4]))));
        }
        restore(new Snapshot(Checkpoints.longProperty(folder, p, "globalStep"), size, w, h, Checkpoints.readGroup(folder, p, "optimizerHyperparameters"),
                Checkpoints.readGroups(folder, p, "outer"), Checkpoints.longProperty(folder, p, "outerOptimizerSteps"),
                Checkpoints.readGroups(folder, p, "optimizerOuter"), Checkpoints.longProperty(folder, p, "optimizerOuterSteps")));
        return this;
    }

    /** The training rows of step {@code s} (see {@link MinibatchSchedule}). */
    int[] batchRows(long s) {
        return MinibatchSchedule.rows(problem.trainingData().size(), config.batchSize(), config.seed(), s);
    }
}
