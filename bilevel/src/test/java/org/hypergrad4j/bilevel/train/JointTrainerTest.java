package org.hypergrad4j.bilevel.train;

import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.problem.Blobs;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class JointTrainerTest {
    private static final TrainerConfig CONFIG = TrainerConfig.of(6, 15).withBatchSize(10).withSeed(9).withBounds(-10, 3);

    private static BilevelProblem problem() {
        Dataset train = Blobs.make("train", 40, 5, 3, 0.8, 1);
        Dataset val = Blobs.make("val", 30, 5, 3, 0.8, 2);
        return BilevelProblem.builder().model(new Mlp(5, new int[] {6}, 3, Mlp.Activation.TANH, 4)).data(train, val)
                .tune(WeightDecay.perWeight(-3)).dataType(DataType.DOUBLE).build();
    }

    private static JointTrainer trainer(BilevelProblem p) {
        return new JointTrainer(p, new Sgd(0.2, 0.9, false), new Adam(0.05),
                new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)).warmStarting(), CONFIG);
    }

    @Nested
    class Contract extends TrainingLoopContract<JointTrainer> {
        @Override
        protected JointTrainer trainer() {
            return JointTrainerTest.trainer(problem());
        }

        @Override
        protected JointTrainer trainerWithOtherConfiguration() {
            return JointTrainerTest.trainer(problem(), CONFIG.withSeed(10));
        }

        @Override
        protected JointTrainer trainerWith(PoisonedOptimizer poisoned) {
            return new JointTrainer(problem(), new Sgd(0.2, 0.9, false), poisoned,
                    new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)).warmStarting(), CONFIG);
        }

        @Override
        protected Optimizer optimizerToPoison() {
            return new Adam(0.05);
        }

        @Override
        protected long unitsKeptWhenTheSecondStepIsPoisoned() {
            return 1;
        }

        @Override
        protected double[] numbers(JointTrainer t) {
            return concat(t.problem().weights().toDoubleArray(), t.problem().hyperparameters().toDoubleArray());
        }
    }

    @Test
    void resumedRunEndsWithTheSameNumbersAsAnUninterruptedOne(@TempDir Path dir) {
        BilevelProblem uninterrupted = problem();
        TrainingSummary full = trainer(uninterrupted).run();
        assertEquals(TrainingSummary.Status.COMPLETED, full.status());

        BilevelProblem killed = problem();
        JointTrainer first = trainer(killed).checkpointTo(dir.resolve("ckpt"), 3);
        first.addListener(new TrainingListener<JointTrainer.HyperStep>() {
            @Override
            public void onCheckpoint(CheckpointEvent event) {
                throw new IllegalStateException("killed after hyper-step " + event.unit());
            }
        });
        assertThrows(IllegalStateException.class, first::run);
        assertEquals(3, first.hyperStepsDone());

        BilevelProblem resumed = problem();
        JointTrainer second = trainer(resumed).resumeFrom(dir.resolve("ckpt"));
        assertEquals(3, second.hyperStepsDone());
        assertEquals(45, second.innerStepsDone());
        TrainingSummary rest = second.run();
        assertEquals(6, rest.unitsDone());
        assertArrayEquals(uninterrupted.weights().toDoubleArray(), resumed.weights().toDoubleArray(), 0.0);
        assertArrayEquals(uninterrupted.hyperparameters().toDoubleArray(), resumed.hyperparameters().toDoubleArray(), 0.0);
    }

    @Test
    void hyperBatchesOfTheWholeSetsGiveTheFullBatchHypergradientAndSmallerOnesAnotherOne() {
        // Minibatches as large as the sets hold every example once: the same hypergradient up to summation order.
        BilevelProblem full = problem();
        BilevelProblem whole = problem();
        BilevelProblem small = problem();
        trainer(full, CONFIG).run();
        trainer(whole, CONFIG.withHyperBatchSize(40)).run();
        trainer(small, CONFIG.withHyperBatchSize(8)).run();
        assertArrayEquals(full.hyperparameters().toDoubleArray(), whole.hyperparameters().toDoubleArray(), 1e-9);
        double[] a = full.hyperparameters().toDoubleArray();
        double[] c = small.hyperparameters().toDoubleArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - c[i]));
        }
        assertTrue(diff > 1e-4, "hypergradients on minibatches of 8 should differ from full-batch ones, max |Δλ| = " + diff);
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withHyperBatchSize(-1));
    }

    @Test
    void plainMinibatchTrainingFollowsTheSeededSchedule() {
        BilevelProblem a = problem();
        BilevelProblem b = problem();
        BilevelProblem byHand = problem();
        a.trainWeights(new Sgd(0.2, 0.9, false), 20, 10, 9);
        b.trainWeights(new Sgd(0.2, 0.9, false), 20, 10, 9);
        Sgd sgd = new Sgd(0.2, 0.9, false);
        for (int s = 0; s < 20; s++) {
            int[] rows = MinibatchSchedule.rows(40, 10, 9, SeedStream.TRAINING_BATCHES, s);
            sgd.step(byHand.weights(), byHand.training().lossAndGradient(byHand.trainingFeed(rows, SeedStream.TRAINING_NOISE.seed(9, s))).weightGradient());
        }
        assertArrayEquals(a.weights().toDoubleArray(), b.weights().toDoubleArray(), 0.0);
        assertArrayEquals(byHand.weights().toDoubleArray(), a.weights().toDoubleArray(), 0.0);
    }

    private static JointTrainer trainer(BilevelProblem p, TrainerConfig config) {
        return new JointTrainer(p, new Sgd(0.2, 0.9, false), new Adam(0.05),
                new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)).warmStarting(), config);
    }

    @Test
    void sameSeedSameNumbers() {
        BilevelProblem a = problem();
        BilevelProblem b = problem();
        trainer(a).run();
        trainer(b).run();
        assertArrayEquals(a.hyperparameters().toDoubleArray(), b.hyperparameters().toDoubleArray(), 0.0);
    }

    @Test
    void nanRestoresTheLastGoodStateAndReports() {
        BilevelProblem p = problem();
        List<TrainingListener.Recovery> recoveries = new ArrayList<>();
        List<double[]> goodStates = new ArrayList<>();
        // A huge outer step drives exp(θ) to infinity on the second hyper-step.
        JointTrainer t = new JointTrainer(p, new Sgd(0.2), new Sgd(1e6), new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)),
                TrainerConfig.of(5, 5));
        t.addListener(new TrainingListener<JointTrainer.HyperStep>() {
            @Override
            public void onUnit(JointTrainer.HyperStep event) {
                goodStates.add(p.weights().toDoubleArray());
            }

            @Override
            public void onRecovery(Recovery event) {
                recoveries.add(event);
            }
        });
        TrainingSummary s = t.run();
        assertEquals(TrainingSummary.Status.DIVERGED, s.status());
        assertEquals(1, recoveries.size());
        assertTrue(s.message().contains("NaN or infinity"), s.message());
        assertTrue(p.weights().isFinite() && p.hyperparameters().isFinite(), "the last good state is kept");
        double[] expected = goodStates.isEmpty() ? null : goodStates.get(goodStates.size() - 1);
        if (expected != null) {
            assertArrayEquals(expected, p.weights().toDoubleArray(), 0.0);
        }
        assertEquals(goodStates.size(), s.unitsDone());
    }

    @Test
    void jointTrainingLowersTheValidationLoss() {
        BilevelProblem p = problem();
        List<Double> val = new ArrayList<>();
        trainer(p).evaluateEvery(1).addListener(new TrainingListener<JointTrainer.HyperStep>() {
            @Override
            public void onEvaluation(EvaluationEvent event) {
                val.add(event.validation().loss());
            }
        }).run();
        assertEquals(6, val.size());
        assertTrue(val.get(5) < val.get(0), "validation loss " + val);
    }

    @Test
    void checkpointOfAnotherConfigurationIsRejected(@TempDir Path dir) {
        BilevelProblem p = problem();
        JointTrainer t = trainer(p);
        t.saveCheckpoint(dir.resolve("c"));
        JointTrainer other = new JointTrainer(problem(), new Sgd(0.2), new Adam(0.05), new ImplicitHypergradient(new ConjugateGradient(10, 1e-8)),
                TrainerConfig.of(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.resumeFrom(dir.resolve("c")));
        assertTrue(e.getMessage().contains("was written with"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> other.resumeFrom(dir.resolve("missing")));
    }
}
