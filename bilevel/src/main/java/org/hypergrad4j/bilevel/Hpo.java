package org.hypergrad4j.bilevel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hypergrad4j.bilevel.hyper.HyperparameterKind;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.model.Model;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainerConfig;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.hypergrad.HypergradientAtWeights;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A fluent facade over problem, optimisers and trainer, for jshell and short programs:
 * <pre>
 * var result = Hpo.on(train, validation).tune(WeightDecay.perWeight(-4)).hyperSteps(30).printProgress().run();
 * </pre>
 * Defaults: softmax regression on the data's features; implicit hypergradient with warm-started CG
 * (20 iterations); inner SGD (learning rate 0.1, momentum 0.9), 50 steps per hyper-step, full batch;
 * outer Adam (0.05); raw hyperparameters projected onto [−12, 6]; float32; seed 0.
 */
public final class Hpo {
    private final Dataset train;
    private final Dataset validation;
    private Dataset test;
    private Model model;
    private final List<HyperparameterKind> kinds = new ArrayList<>();
    private final List<TrainingListener<? super JointTrainer.HyperStep>> listeners = new ArrayList<>();
    private HypergradientAtWeights method = new ImplicitHypergradient(new ConjugateGradient(20, 1e-6)).warmStarting();
    private Optimizer inner = new Sgd(0.1, 0.9, false);
    private Optimizer outer = new Adam(0.05);
    private int hyperSteps = 20;
    private int innerSteps = 50;
    private int batchSize;
    private long seed;
    private DataType type = DataType.FLOAT;
    private double lower = -12;
    private double upper = 6;
    private java.nio.file.Path checkpointFolder;

    private Hpo(Dataset train, Dataset validation) {
        this.train = Objects.requireNonNull(train, "train");
        this.validation = Objects.requireNonNull(validation, "validation");
    }

    /** Starts a problem on training and validation data. */
    public static Hpo on(Dataset train, Dataset validation) {
        return new Hpo(train, validation);
    }

    public Hpo test(Dataset testData) {
        this.test = testData;
        return this;
    }

    public Hpo model(Model m) {
        this.model = Objects.requireNonNull(m, "model");
        return this;
    }

    public Hpo tune(HyperparameterKind kind) {
        kinds.add(Objects.requireNonNull(kind, "kind"));
        return this;
    }

    /**
     * The hypergradient method of each hyper-step: one that differentiates at the trained weights (implicit); the
     * unrolled methods train the weights themselves and run in {@code UnrolledJointTrainer} instead.
     */
    public Hpo method(HypergradientAtWeights m) {
        this.method = Objects.requireNonNull(m, "method");
        return this;
    }

    public Hpo innerOptimizer(Optimizer o) {
        this.inner = Objects.requireNonNull(o, "optimizer");
        return this;
    }

    public Hpo outerOptimizer(Optimizer o) {
        this.outer = Objects.requireNonNull(o, "optimizer");
        return this;
    }

    public Hpo hyperSteps(int n) {
        this.hyperSteps = n;
        return this;
    }

    public Hpo innerSteps(int n) {
        this.innerSteps = n;
        return this;
    }

    public Hpo batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    public Hpo seed(long s) {
        this.seed = s;
        return this;
    }

    public Hpo dataType(DataType t) {
        this.type = t;
        return this;
    }

    /** Projection bounds on the raw hyperparameters θ. */
    public Hpo bounds(double lo, double hi) {
        this.lower = lo;
        this.upper = hi;
        return this;
    }

    /** Commits a checkpoint after every hyper-step into {@code folder} (see {@code Checkpoints}). */
    public Hpo checkpointTo(java.nio.file.Path folder) {
        this.checkpointFolder = Objects.requireNonNull(folder, "folder");
        return this;
    }

    public Hpo listener(TrainingListener<? super JointTrainer.HyperStep> l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Prints one line per evaluation to standard output. */
    public Hpo printProgress() {
        return printProgress(System.out);
    }

    /** Prints one line per evaluation to {@code out}. */
    public Hpo printProgress(PrintStream out) {
        return listener(new TrainingListener<JointTrainer.HyperStep>() {
            @Override
            public void onEvaluation(EvaluationEvent e) {
                out.printf("hyper-step %3d/%d | train %.4f (%.1f%%) | val %.4f (%.1f%%)%s%n", e.unit(), hyperSteps,
                        e.train().loss(), 100 * e.train().accuracy(), e.validation().loss(), 100 * e.validation().accuracy(),
                        e.test() == null ? "" : String.format(" | test %.4f (%.1f%%)", e.test().loss(), 100 * e.test().accuracy()));
            }

            @Override
            public void onRecovery(Recovery r) {
                out.println("stopped: " + r.message());
            }
        });
    }

    /** Builds the problem (validating everything) without training. */
    public BilevelProblem build() {
        BilevelProblem.Builder b = BilevelProblem.builder()
                .model(model != null ? model : Mlp.logisticRegression(train.numFeatures(), train.numClasses(), seed))
                .data(train, validation).dataType(type);
        if (test != null) {
            b.testData(test);
        }
        kinds.forEach(b::tune);
        return b.build();
    }

    /** Builds the problem and runs joint training. */
    public Result run() {
        return run(build());
    }

    /** Runs joint training on {@code problem}, built by {@link #build()} (so that listeners can read it while it trains). */
    public Result run(BilevelProblem problem) {
        Objects.requireNonNull(problem, "problem");
        TrainerConfig config = new TrainerConfig(hyperSteps, innerSteps, batchSize, seed, lower, upper, 0);
        JointTrainer trainer = new JointTrainer(problem, inner, outer, method, config).evaluateEvery(1);
        listeners.forEach(trainer::addListener);
        if (checkpointFolder != null) {
            trainer.checkpointTo(checkpointFolder);
        }
        TrainingSummary summary = trainer.run();
        return new Result(problem, summary, problem.evaluate(BilevelProblem.Part.TRAIN), problem.evaluate(BilevelProblem.Part.VALIDATION),
                test == null ? null : problem.evaluate(BilevelProblem.Part.TEST));
    }

    /** The trained problem and its final scores ({@code test} is null without test data). */
    public record Result(BilevelProblem problem, TrainingSummary summary, BilevelProblem.Evaluation train,
                         BilevelProblem.Evaluation validation, BilevelProblem.Evaluation test) {
    }
}
