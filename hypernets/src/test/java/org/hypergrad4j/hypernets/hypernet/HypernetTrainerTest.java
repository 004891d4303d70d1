package org.hypergrad4j.hypernets.hypernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.data.Dataset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.train.TrainingLoopContract;
import org.junit.jupiter.api.io.TempDir;

/** Determinism, checkpoint and resume, NaN handling and progress events of {@link HypernetTrainer}. */
class HypernetTrainerTest {
    private static final Dataset TRAIN = HypernetTestData.gaussian("train", 40, 5, 3, 1);
    private static final Dataset VALIDATION = HypernetTestData.gaussian("validation", 20, 5, 3, 2);
    private static final HyperparameterRange RANGE = new HyperparameterRange(-6, 0);

    private static HypernetworkObjective objective(DecayScope scope, long seed) {
        return HypernetworkObjective.builder(5, 3).scope(scope).range(RANGE)
                .architecture(HypernetArchitecture.mlp(Mlp.Activation.TANH, 8).withMagnitudeInvariance()).seed(seed).build();
    }

    private static HypernetTrainer trainer(HypernetworkObjective o, HypernetTrainerConfig config, LambdaDistribution p) {
        return new HypernetTrainer(o, TRAIN, VALIDATION, p, new Adam(0.01), new Adam(0.05), config);
    }

    private static HypernetTrainerConfig globalConfig() {
        return HypernetTrainerConfig.global(6, 3).withBatchSize(16).withSeed(7);
    }

    private static HypernetTrainerConfig jointConfig() {
        return HypernetTrainerConfig.joint(8, 0.5).withBatchSize(16).withValidationBatchSize(10).withSeed(7);
    }

    static Stream<HypernetTrainerConfig> configs() {
        return Stream.of(globalConfig(), jointConfig());
    }

    @Nested
    class Contract extends TrainingLoopContract<HypernetTrainer> {
        @Override
        protected HypernetTrainer trainer() {
            return HypernetTrainerTest.trainer(objective(DecayScope.GLOBAL, 1), globalConfig(), LambdaDistribution.uniform(RANGE));
        }

        @Override
        protected HypernetTrainer trainerWithOtherConfiguration() {
            return HypernetTrainerTest.trainer(objective(DecayScope.GLOBAL, 1), globalConfig().withSeed(8), LambdaDistribution.uniform(RANGE));
        }

        @Override
        protected HypernetTrainer trainerWith(PoisonedOptimizer poisoned) {
            return new HypernetTrainer(objective(DecayScope.GLOBAL, 1), TRAIN, VALIDATION, LambdaDistribution.uniform(RANGE), poisoned,
                    new Adam(0.05), globalConfig());
        }

        @Override
        protected Optimizer optimizerToPoison() {
            return new Adam(0.01);
        }

        @Override
        protected long unitsKeptWhenTheSecondStepIsPoisoned() {
            return 1;
        }

        @Override
        protected double[] numbers(HypernetTrainer t) {
            return state(t.objective());
        }
    }

    private static double[] state(HypernetworkObjective o) {
        double[] phi = o.hypernetParameters().toDoubleArray();
        double[] hat = o.lambdaHat();
        double[] all = new double[phi.length + hat.length];
        System.arraycopy(phi, 0, all, 0, phi.length);
        System.arraycopy(hat, 0, all, phi.length, hat.length);
        return all;
    }

    @Test
    void sameSeedGivesTheSameNumbersAndAnotherSeedDoesNot() {
        for (HypernetTrainerConfig config : configs().toList()) {
            List<HypernetTrainer.StepEvent> first = new ArrayList<>();
            List<HypernetTrainer.StepEvent> second = new ArrayList<>();
            HypernetworkObjective a = objective(DecayScope.PER_WEIGHT, 3);
            HypernetworkObjective b = objective(DecayScope.PER_WEIGHT, 3);
            trainer(a, config, LambdaDistribution.uniform(RANGE)).addListener(new TrainingListener<HypernetTrainer.StepEvent>() {
                @Override
                public void onUnit(HypernetTrainer.StepEvent e) {
                    first.add(e);
                }
            }).run();
            trainer(b, config, LambdaDistribution.uniform(RANGE)).addListener(new TrainingListener<HypernetTrainer.StepEvent>() {
                @Override
                public void onUnit(HypernetTrainer.StepEvent e) {
                    second.add(e);
                }
            }).run();
            assertArrayEquals(state(a), state(b), 0.0, config.mode() + ": same seed, different parameters");
            assertEquals(config.totalSteps(), first.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).trainingObjective(), second.get(i).trainingObjective(), 0.0);
                assertEquals(first.get(i).validationLoss(), second.get(i).validationLoss(), 0.0);
            }
            HypernetworkObjective c = objective(DecayScope.PER_WEIGHT, 3);
            trainer(c, config.withSeed(8), LambdaDistribution.uniform(RANGE)).run();
            assertFalse(java.util.Arrays.equals(state(a), state(c)), config.mode() + ": another data seed gave identical parameters");
        }
    }

    @Test
    void phasesAndEventsFollowTheMode() {
        List<HypernetTrainer.StepEvent> events = new ArrayList<>();
        HypernetworkObjective o = objective(DecayScope.GLOBAL, 1);
        TrainingSummary s = trainer(o, globalConfig(), LambdaDistribution.uniform(RANGE)).addListener(new TrainingListener<HypernetTrainer.StepEvent>() {
            @Override
            public void onUnit(HypernetTrainer.StepEvent e) {
                events.add(e);
            }
        }).run();
        assertEquals(TrainingSummary.Status.COMPLETED, s.status());
        assertEquals(9, s.unitsDone());
        for (int i = 0; i < 9; i++) {
            HypernetTrainer.StepEvent e = events.get(i);
            assertEquals(i + 1, e.step());
            if (i < 6) {
                assertEquals(HypernetTrainer.Phase.HYPERNET, e.phase());
                assertTrue(Double.isFinite(e.trainingObjective()) && Double.isNaN(e.validationLoss()));
                assertEquals(-3.0, e.meanLambdaHat(), 1e-6, "λ̂ must not move while φ trains");
            } else {
                assertEquals(HypernetTrainer.Phase.HYPERPARAMETER, e.phase());
                assertTrue(Double.isNaN(e.trainingObjective()) && Double.isFinite(e.validationLoss()));
                assertTrue(RANGE.contains(e.meanLambdaHat()), "λ̂ must stay in the range it was trained on: " + e.meanLambdaHat());
            }
        }
        assertTrue(events.get(8).meanLambdaHat() != -3.0, "λ̂ did not move in the hyperparameter phase");
    }

    @Test
    void resumedRunsEndBitIdenticalToUninterruptedOnes(@TempDir Path dir) throws IOException {
        for (HypernetTrainerConfig config : configs().toList()) {
            HypernetworkObjective uninterrupted = objective(DecayScope.PER_WEIGHT, 5);
            trainer(uninterrupted, config, LambdaDistribution.uniform(RANGE)).run();

            Path folder = dir.resolve(config.mode().name().toLowerCase()).resolve("checkpoint");
            HypernetworkObjective first = objective(DecayScope.PER_WEIGHT, 5);
            List<Long> checkpoints = new ArrayList<>();
            HypernetTrainer writer = trainer(first, config, LambdaDistribution.uniform(RANGE)).checkpointTo(folder, 4)
                    .addListener(new TrainingListener<HypernetTrainer.StepEvent>() {
                        @Override
                        public void onCheckpoint(CheckpointEvent e) {
                            checkpoints.add(e.unit());
                        }
                    });
            // Stop after step 5: the checkpoint holds step 4, so the resumed run must redo step 5 exactly.
            writer.runUntil(5);
            assertEquals(List.of(4L), checkpoints);

            HypernetworkObjective resumed = objective(DecayScope.PER_WEIGHT, 99);
            HypernetTrainer reader = trainer(resumed, config, LambdaDistribution.uniform(RANGE)).resumeFrom(folder);
            assertEquals(4, reader.stepsDone());
            reader.run();
            assertArrayEquals(state(uninterrupted), state(resumed), 0.0, config.mode() + ": resumed run differs from the uninterrupted one");
            try (Stream<Path> files = Files.list(folder.getParent())) {
                assertEquals(List.of(folder), files.toList(), "temporary checkpoint folders were left behind");
            }
        }
    }

    @Test
    void resumingFromAnotherConfigurationOrAMissingFolderFails(@TempDir Path dir) {
        Path folder = dir.resolve("ckpt");
        HypernetTrainer t = trainer(objective(DecayScope.GLOBAL, 1), globalConfig(), LambdaDistribution.uniform(RANGE));
        t.runUntil(2);
        t.saveCheckpoint(folder);
        IllegalArgumentException otherConfig = assertThrows(IllegalArgumentException.class,
                () -> trainer(objective(DecayScope.GLOBAL, 1), globalConfig().withSeed(1), LambdaDistribution.uniform(RANGE)).resumeFrom(folder));
        assertTrue(otherConfig.getMessage().contains("was written with"), otherConfig.getMessage());
        IllegalArgumentException otherModel = assertThrows(IllegalArgumentException.class,
                () -> trainer(objective(DecayScope.PER_WEIGHT, 1), globalConfig(), LambdaDistribution.uniform(RANGE)).resumeFrom(folder));
        assertTrue(otherModel.getMessage().contains("another configuration: objective was"), otherModel.getMessage());
        IllegalArgumentException otherDistribution = assertThrows(IllegalArgumentException.class,
                () -> trainer(objective(DecayScope.GLOBAL, 1), globalConfig(), LambdaDistribution.normal(-3, 1)).resumeFrom(folder));
        assertTrue(otherDistribution.getMessage().contains("distribution was") && otherDistribution.getMessage().contains("now normal(-3.0, 1.0)"),
                otherDistribution.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> trainer(objective(DecayScope.GLOBAL, 1), globalConfig(), LambdaDistribution.uniform(RANGE)).resumeFrom(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("the folder does not exist"), missing.getMessage());
    }

    /** Draws from U(range) for the first {@code goodDraws} calls, then λ = 1000, whose decay exp(λ) overflows. */
    private static LambdaDistribution overflowingAfter(int goodDraws) {
        LambdaDistribution uniform = LambdaDistribution.uniform(RANGE);
        int[] calls = {0};
        return new LambdaDistribution() {
            @Override
            public double[] sample(RandomGenerator random, int dimensions) {
                double[] s = uniform.sample(random, dimensions);
                if (calls[0]++ >= goodDraws) {
                    java.util.Arrays.fill(s, 1000.0);
                }
                return s;
            }

            @Override
            public String describe() {
                return "overflowing";
            }
        };
    }

    @Test
    void nonFiniteObjectiveRestoresTheLastGoodStateAndStops() {
        HypernetTrainerConfig config = globalConfig();
        // 2 draws per step: steps 1–3 are good, step 4 overflows.
        HypernetworkObjective broken = objective(DecayScope.GLOBAL, 2);
        List<TrainingListener.Recovery> recoveries = new ArrayList<>();
        HypernetTrainer t = trainer(broken, config, overflowingAfter(6)).addListener(new TrainingListener<HypernetTrainer.StepEvent>() {
            @Override
            public void onRecovery(Recovery e) {
                recoveries.add(e);
            }
        });
        TrainingSummary s = t.run();
        assertEquals(TrainingSummary.Status.DIVERGED, s.status());
        assertEquals(3, s.unitsDone());
        assertEquals(3, t.stepsDone());
        assertEquals(1, recoveries.size());
        assertTrue(recoveries.get(0).stage().contains("training objective"), recoveries.get(0).stage());
        assertTrue(s.message().contains("step 4") && s.message().contains("Restored the state after step 3"), s.message());

        HypernetworkObjective clean = objective(DecayScope.GLOBAL, 2);
        trainer(clean, config, LambdaDistribution.uniform(RANGE)).runUntil(3);
        assertArrayEquals(state(clean), state(broken), 0.0, "the kept state is not the state after the last good step");
        assertTrue(broken.hypernetParameters().isFinite());
    }

    @Test
    void nonFiniteHyperparametersAfterAnUpdateAreCaughtInJointMode() {
        HypernetworkObjective broken = objective(DecayScope.PER_WEIGHT, 4);
        HypernetTrainer t = new HypernetTrainer(broken, TRAIN, VALIDATION, null, new Adam(0.01),
                new TrainingLoopContract.PoisonedOptimizer(new Adam(0.05), 5), jointConfig());
        TrainingSummary s = t.run();
        assertEquals(TrainingSummary.Status.DIVERGED, s.status(), s.message());
        assertEquals(4, s.unitsDone());
        assertTrue(s.message().contains("hyperparameters λ̂ after step 5") && s.message().contains("lambda_hat"), s.message());
        assertTrue(broken.hypernetParameters().isFinite() && broken.hyperparameters().isFinite());

        HypernetworkObjective clean = objective(DecayScope.PER_WEIGHT, 4);
        new HypernetTrainer(clean, TRAIN, VALIDATION, null, new Adam(0.01), new Adam(0.05), jointConfig()).runUntil(4);
        assertArrayEquals(state(clean), state(broken), 0.0, "the kept state is not the state after step 4");
    }
}
