package org.hypergrad4j.hypernets.hypernet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input fails early with an exception whose message names what is wrong. */
class HypernetInputValidationTest {
    private static final Dataset TRAIN = HypernetTestData.gaussian("train", 30, 4, 3, 1);
    private static final Dataset VALIDATION = HypernetTestData.gaussian("validation", 10, 4, 3, 2);
    private static final HyperparameterRange RANGE = new HyperparameterRange(-5, 0);

    private static void failsWith(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static HypernetworkObjective objective() {
        return HypernetworkObjective.builder(4, 3).range(RANGE).build();
    }

    @Test
    void rangesAndDistributions() {
        failsWith(() -> new HyperparameterRange(1, 1), "lower < upper", "[1.0, 1.0]");
        failsWith(() -> new HyperparameterRange(Double.NaN, 1), "finite");
        failsWith(() -> RANGE.grid(1), "at least 2 points");
        failsWith(() -> LambdaDistribution.normal(0, -1), "standard deviation", "-1");
    }

    @Test
    void architectures() {
        failsWith(() -> HypernetArchitecture.mlp(Mlp.Activation.RELU, 4, 4, 4, 4), "at most 3 hidden layers", "[4, 4, 4, 4]");
        failsWith(() -> HypernetArchitecture.mlp(Mlp.Activation.RELU, 4, 0), "at least 1", "[4, 0]");
        failsWith(() -> HypernetArchitecture.mlp(Mlp.Activation.RELU), "HypernetArchitecture.linear()");
        failsWith(() -> HypernetworkObjective.builder(4, 1), "2 classes", "1");
        failsWith(() -> HypernetworkObjective.builder(4, 3).dataType(DataType.HALF), "FLOAT or DOUBLE", "HALF");
        failsWith(() -> HypernetworkObjective.builder(4, 3).initialLambda(Double.POSITIVE_INFINITY), "initial λ̂", "Infinity");
    }

    @Test
    void objectiveInputs() {
        HypernetworkObjective o = objective();
        var x = TRAIN.toFeatures(DataType.FLOAT);
        var y = TRAIN.toOneHotLabels(DataType.FLOAT);
        failsWith(() -> o.trainingObjective(Nd4j.zeros(DataType.FLOAT, 30, 5), y, new double[][] {{-1}}), "'x'", "[B, 4]", "[30, 5]");
        failsWith(() -> o.trainingObjective(x, Nd4j.zeros(DataType.FLOAT, 29, 3), new double[][] {{-1}}), "'y'", "[30, 3]", "[29, 3]");
        failsWith(() -> o.trainingObjective(x, y, new double[0][]), "at least one λ sample");
        failsWith(() -> o.trainingObjectiveAndGradient(x, y, new double[][] {{-1}, {-1, -2}}), "λ sample 1", "2 entries", "1 hyperparameters");
    }

    @Test
    void trainerSettings() {
        failsWith(() -> HypernetTrainerConfig.global(0, 5), "hypernetSteps", "0");
        failsWith(() -> new HypernetTrainerConfig(HypernetTrainerConfig.Mode.JOINT, 5, 3, 10, 2, 0.5, 0, 0), "0 in joint mode", "3");
        failsWith(() -> HypernetTrainerConfig.joint(5, 0), "perturbation scale", "0.0");
        failsWith(() -> HypernetTrainerConfig.global(5, 5).withSamplesPerBatch(0), "samplesPerBatch");

        HypernetTrainerConfig ok = HypernetTrainerConfig.global(3, 1).withBatchSize(10);
        LambdaDistribution p = LambdaDistribution.uniform(RANGE);
        failsWith(() -> new HypernetTrainer(objective(), TRAIN, VALIDATION, null, new Adam(0.01), new Adam(0.01), ok), "distribution p(λ)");
        Adam shared = new Adam(0.01);
        failsWith(() -> new HypernetTrainer(objective(), TRAIN, VALIDATION, p, shared, shared, ok), "two optimiser objects");
        failsWith(() -> new HypernetTrainer(objective(), TRAIN, VALIDATION, p, new Adam(0.01), new Adam(0.01), ok.withBatchSize(31)),
                "Training batch size 31", "30 training examples");
        failsWith(() -> new HypernetTrainer(objective(), TRAIN, VALIDATION, p, new Adam(0.01), new Adam(0.01), ok.withValidationBatchSize(11)),
                "Validation batch size 11");
        Dataset wide = HypernetTestData.gaussian("wide", 30, 6, 3, 1);
        failsWith(() -> new HypernetTrainer(objective(), wide, VALIDATION, p, new Adam(0.01), new Adam(0.01), ok), "'wide'", "6 features",
                "the hypernetwork's classifier takes 4 features and 3 classes");
        HypernetTrainer t = new HypernetTrainer(objective(), TRAIN, VALIDATION, p, new Adam(0.01), new Adam(0.01), ok);
        failsWith(() -> t.runUntil(5), "until step 5", "4");
        failsWith(() -> t.checkpointTo(java.nio.file.Path.of("unused"), 0), "checkpoint interval must be at least 1 steps", "got 0");
        LambdaDistribution wrongLength = new LambdaDistribution() {
            @Override
            public double[] sample(java.util.random.RandomGenerator random, int dimensions) {
                return new double[dimensions + 1];
            }

            @Override
            public String describe() {
                return "too long";
            }
        };
        failsWith(() -> new HypernetTrainer(objective(), TRAIN, VALIDATION, wrongLength, new Adam(0.01), new Adam(0.01), ok).run(),
                "too long", "2 values", "1 hyperparameters");
    }
}
