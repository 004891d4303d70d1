package org.hypergrad4j.bilevel.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientMethod;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.hypergrad.NonFiniteValueException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Joint training of weights and hyperparameters (Lorraine et al. 2020): {@code hyperSteps} times, run
 * {@code innerSteps} updates of the inner optimiser on {@code L_T}, then one update of the outer optimiser
 * on the raw hyperparameters with the chosen {@link HypergradientMethod} (its Hessian and mixed products on
 * the full training set), and project them onto the configured bounds. Weights are warm-started: they
 * carry over between hyper-steps.
 *
 * <p>Determinism: minibatch {@code s} is a function of the seed and {@code s} only, so the same seed gives
 * the same numbers, and a run resumed from a checkpoint ends exactly where an uninterrupted one does.
 * A checkpoint holds weights, hyperparameters, both optimisers' states, the implicit method's warm start
 * and the step counters.
 *
 * <p>Failure: NaN or infinity in a loss, gradient, product or update restores the state after the last
 * good hyper-step, tells the listeners which stage failed, and ends the run with status
 * {@link TrainingSummary.Status#DIVERGED}.
 */
public final class JointTrainer {
    private final BilevelProblem problem;
    private final Optimizer inner;
    private final Optimizer outer;
    private final HypergradientMethod method;
    private final TrainerConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Path checkpointFolder;
    private int hyperStep;
    private long innerStep;
    private Snapshot lastGood;

    public JointTrainer(BilevelProblem problem, Optimizer inner, Optimizer outer, HypergradientMethod method, TrainerConfig config) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.inner = Objects.requireNonNull(inner, "inner");
        this.outer = Objects.requireNonNull(outer, "outer");
        this.method = Objects.requireNonNull(method, "method");
        this.config = Objects.requireNonNull(config, "config");
        if (config.batchSize() > problem.trainingData().size()) {
            throw new IllegalArgumentException("Batch size " + config.batchSize() + " exceeds the " + problem.trainingData().size()
                    + " training examples.");
        }
    }

    public JointTrainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Writes checkpoints into {@code folder} (created if needed) every {@link TrainerConfig#checkpointEvery()} hyper-steps. */
    public JointTrainer checkpointTo(Path folder) {
        this.checkpointFolder = folder;
        return this;
    }

    /** Hyper-steps completed so far. */
    public int hyperStepsDone() {
        return hyperStep;
    }

    /** Inner steps completed so far. */
    public long innerStepsDone() {
        return innerStep;
    }

    /** Runs the remaining hyper-steps (all of them for a new trainer, the rest after {@link #resumeFrom}). */
    public TrainingSummary run() {
        long start = System.nanoTime();
        lastGood = snapshot();
        // One gradient buffer for every inner step: each gradient is used before the next is computed.
        ParamVector gradient = problem.weights().zerosLike();
        while (hyperStep < config.hyperSteps()) {
            String stage = "inner step " + innerStep;
            try {
                for (int i = 0; i < config.innerSteps(); i++) {
                    stage = "inner step " + innerStep;
                    double loss = problem.training().lossAndWeightGradientInto(problem.trainingFeed(batchRows(innerStep), innerStep), gradient);
                    if (!Double.isFinite(loss) || !gradient.isFinite()) {
                        throw new NonFiniteValueException("training loss or gradient at inner step " + innerStep, gradient.firstNonFinite());
                    }
                    inner.step(problem.weights(), gradient);
                    innerStep++;
                }
                stage = "hyper-step " + (hyperStep + 1);
                // With hyper-batches, the whole training set is never fed (nor its loss computed) during training.
                Map<String, INDArray> hyperTraining = config.hyperBatchSize() == 0 ? problem.fullTrainingFeed(-1L - hyperStep)
                        : problem.trainingFeed(hyperRows(problem.trainingData().size(), HYPER_TRAIN_STREAM), -1L - hyperStep);
                HypergradientResult h = method.compute(hyperBatchProblem(hyperTraining));
                outer.step(problem.hyperparameters(), h.hypergradient());
                project(problem.hyperparameters());
                String bad = problem.hyperparameters().firstNonFinite();
                if (bad != null || !problem.weights().isFinite()) {
                    throw new NonFiniteValueException("parameters after " + stage, bad != null ? bad : problem.weights().firstNonFinite());
                }
                hyperStep++;
                double trainLoss = problem.training().loss(hyperTraining);
                fire(l -> l.onHyperStep(new TrainingListener.HyperStep(hyperStep, innerStep, trainLoss, h.validationLoss(),
                        h.hypergradient().norm2(), h.products(), (System.nanoTime() - start) / 1e9)));
            } catch (NonFiniteValueException e) {
                restore(lastGood);
                String message = "NaN or infinity at " + stage + ": " + e.getMessage()
                        + " Restored the state after hyper-step " + hyperStep + ".";
                String failed = stage;
                fire(l -> l.onRecovery(new TrainingListener.Recovery(hyperStep, innerStep, failed, message)));
                return new TrainingSummary(TrainingSummary.Status.DIVERGED, hyperStep, innerStep, message, (System.nanoTime() - start) / 1e9);
            }
            lastGood = snapshot();
            if (config.evaluateEvery() > 0 && hyperStep % config.evaluateEvery() == 0) {
                TrainingListener.EvaluationEvent ev = new TrainingListener.EvaluationEvent(hyperStep, problem.evaluate("train"),
                        problem.evaluate("val"), problem.hasTestData() ? problem.evaluate("test") : null);
                fire(l -> l.onEvaluation(ev));
            }
            if (checkpointFolder != null && config.checkpointEvery() > 0 && hyperStep % config.checkpointEvery() == 0) {
                saveCheckpoint(checkpointFolder);
                Path folder = checkpointFolder;
                int done = hyperStep;
                fire(l -> l.onCheckpoint(new TrainingListener.CheckpointEvent(done, folder)));
            }
        }
        return new TrainingSummary(TrainingSummary.Status.COMPLETED, hyperStep, innerStep, "completed " + hyperStep + " hyper-steps",
                (System.nanoTime() - start) / 1e9);
    }

    private void fire(java.util.function.Consumer<TrainingListener> event) {
        listeners.forEach(event);
    }

    /**
     * The hypergradient problem of the current hyper-step: whole sets, or with a hyper-batch size, the
     * training and validation minibatches of this hyper-step (streams of their own, keyed by the seed).
     */
    private org.hypergrad4j.hypergrad.HypergradientProblem hyperBatchProblem(Map<String, INDArray> hyperTraining) {
        if (config.hyperBatchSize() == 0) {
            return problem.hypergradientProblem(hyperTraining);
        }
        int[] valRows = hyperRows(problem.validationData().size(), HYPER_VALIDATION_STREAM);
        return problem.hypergradientProblem(hyperTraining, problem.validationFeed(valRows));
    }

    /** The rows of this hyper-step's minibatch of a set of {@code n} examples, from its own stream. */
    private int[] hyperRows(int n, long stream) {
        return MinibatchSchedule.rows(n, Math.min(config.hyperBatchSize(), n), config.seed() ^ stream, hyperStep);
    }

    private static final long HYPER_TRAIN_STREAM = 0x5DEECE66DL;
    private static final long HYPER_VALIDATION_STREAM = 0x2545F4914F6CDD1DL;

    /** The training rows of step {@code s} (see {@link MinibatchSchedule}). */
    int[] batchRows(long s) {
        return MinibatchSchedule.rows(problem.trainingData().size(), config.batchSize(), config.seed(), s);
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

    /** Everything a resumed run needs. */
    private record Snapshot(int hyperStep, long innerStep, ParamVector weights, ParamVector hyperparameters,
                            Map<String, ParamVector> innerState, long innerSteps, Map<String, ParamVector> outerState,
                            long outerSteps, ParamVector warmStart) {
    }

    private Snapshot snapshot() {
        ParamVector warm = method instanceof ImplicitHypergradient ih && ih.lastSolution() != null ? ih.lastSolution().dup() : null;
        return new Snapshot(hyperStep, innerStep, problem.weights().dup(), problem.hyperparameters().dup(), inner.state(), inner.steps(),
                outer.state(), outer.steps(), warm);
    }

    private void restore(Snapshot s) {
        hyperStep = s.hyperStep();
        innerStep = s.innerStep();
        problem.weights().assignInPlace(s.weights());
        problem.hyperparameters().assignInPlace(s.hyperparameters());
        inner.restore(s.innerState(), s.innerSteps());
        outer.restore(s.outerState(), s.outerSteps());
        if (method instanceof ImplicitHypergradient ih) {
            ih.restoreSolution(s.warmStart());
        }
    }

    /**
     * Writes the current state to {@code folder} in the {@link Checkpoints} format (atomically, so an
     * interrupted write never leaves a half checkpoint).
     */
    public void saveCheckpoint(Path folder) {
        Snapshot s = snapshot();
        Properties p = new Properties();
        p.setProperty("hyperStep", Integer.toString(s.hyperStep()));
        p.setProperty("innerStep", Long.toString(s.innerStep()));
        p.setProperty("innerOptimizerSteps", Long.toString(s.innerSteps()));
        p.setProperty("outerOptimizerSteps", Long.toString(s.outerSteps()));
        p.setProperty("config", config.toString());
        Map<String, ParamVector> groups = new LinkedHashMap<>();
        groups.put("weights", s.weights());
        groups.put("hyperparameters", s.hyperparameters());
        Checkpoints.putGroups(groups, "inner", s.innerState());
        Checkpoints.putGroups(groups, "outer", s.outerState());
        if (s.warmStart() != null) {
            groups.put("warmStart", s.warmStart());
        }
        Checkpoints.write(folder, p, groups, "hypergrad4j joint-training checkpoint");
    }

    /**
     * Restores the state saved by {@link #saveCheckpoint} into this trainer's problem and optimisers, which
     * must be built as for the run that wrote it (same model, hyperparameters, data and configuration).
     *
     * @throws IllegalArgumentException if the checkpoint is missing, incomplete, or does not fit the problem
     */
    public JointTrainer resumeFrom(Path folder) {
        Properties p = Checkpoints.readProperties(folder, config);
        ParamVector w = Checkpoints.readGroupFitting(folder, p, "weights", problem.weights(), "problem");
        ParamVector h = Checkpoints.readGroupFitting(folder, p, "hyperparameters", problem.hyperparameters(), "problem");
        Snapshot s = new Snapshot((int) Checkpoints.longProperty(folder, p, "hyperStep"), Checkpoints.longProperty(folder, p, "innerStep"),
                w, h, Checkpoints.readGroups(folder, p, "inner"), Checkpoints.longProperty(folder, p, "innerOptimizerSteps"),
                Checkpoints.readGroups(folder, p, "outer"), Checkpoints.longProperty(folder, p, "outerOptimizerSteps"),
                Checkpoints.hasGroup(p, "warmStart") ? Checkpoints.readGroup(folder, p, "warmStart") : null);
        restore(s);
        return this;
    }
}
