package org.hypergrad4j.benchmarks;

import org.hypergrad4j.data.Split;
import java.util.List;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainerConfig;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.experiments.runner.WeightDecayRun;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.NeumannSeries;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Joint training against plain training with the same inner steps (docs/BENCHMARKS.md): an MLP
 * 784-H-10 (ReLU) on Fashion-MNIST with one decay {@code exp(λ)} per weight, SGD with momentum on
 * minibatches of 128; joint training adds a hyper-step every T = 10 inner steps (implicit hypergradient,
 * Neumann series with 5 terms, on training and validation minibatches of 128; Adam on λ).
 *
 * <p>Usage: {@code JointTrainingBenchmark MODE [hidden] [innerSteps]}, MODE {@code joint}, {@code plain}
 * or {@code setup} (data and graph only, the memory baseline). Prints {@code RESULT <mode>_seconds <s>};
 * peak memory is measured around the process ({@code /usr/bin/time -v}) by {@code run-joint-vs-plain.sh}.
 */
public final class JointTrainingBenchmark {
    private JointTrainingBenchmark() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int innerSteps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int t = 10;
        Split parts = WeightDecayRun.parts(org.hypergrad4j.experiments.runner.Choices.DataSet.FASHION_MNIST, null, 0, 20_000);
        BilevelProblem problem = BilevelProblem.builder()
                .model(WeightDecayRun.model(parts.train().numFeatures(), parts.train().numClasses(), List.of(hidden), org.hypergrad4j.experiments.runner.Choices.Activation.RELU, 0))
                .data(parts.train(), parts.validation()).tune(WeightDecay.perWeight(-10)).dataType(DataType.FLOAT).build();
        System.out.printf("MLP 784-%d-10, %d weights, %d hyperparameters, %d training examples%n", hidden,
                problem.weights().length(), problem.hyperparameters().length(), parts.train().numExamples());
        Sgd sgd = new Sgd(0.02, 0.9, false);
        long start = System.nanoTime();
        switch (mode) {
            case "plain" -> problem.trainWeights(sgd, innerSteps, 128, 0);
            case "joint" -> {
                TrainerConfig config = TrainerConfig.of(innerSteps / t, t).withBatchSize(128).withSeed(0)
                        .withBounds(-12, 6).withHyperBatchSize(128);
                TrainingSummary s = new JointTrainer(problem, sgd, new Adam(0.05),
                        new ImplicitHypergradient(new NeumannSeries(0.02, 5)), config).run();
                System.out.println("joint training: " + s.status() + ", " + s.message());
            }
            case "setup" -> { }
            default -> throw new IllegalArgumentException("MODE is joint, plain or setup; got " + mode);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("RESULT " + mode + "_seconds " + seconds);
        System.out.println("RESULT " + mode + "_train_loss " + problem.evaluate(BilevelProblem.Part.TRAIN).loss());
    }
}
