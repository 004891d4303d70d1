package org.hypergrad4j.bilevel.train;

import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.problem.Blobs;
import org.hypergrad4j.data.Dataset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class UnrolledJointTrainerTest {
    private static final Dataset TRAIN = Blobs.make("train", 40, 5, 3, 0.7, 1);
    private static final Dataset VAL = Blobs.make("val", 30, 5, 3, 0.7, 2);

    private static BilevelProblem problem() {
        return Hpo.on(TRAIN, VAL).tune(WeightDecay.global(-4)).dataType(DataType.DOUBLE).build();
    }

    /**
     * A too-small learning rate is raised by its hypergradient and the validation loss falls. The momentum
     * moves too (in the convention m ← μm + g, w ← w − ηm, a larger μ lengthens the steps).
     */
    @Test
    void tunesTheLearningRateUpFromATooSmallValueAndMovesTheMomentum() {
        UnrolledJointTrainer t = new UnrolledJointTrainer(problem(), new Sgd(1e-3), new Adam(0.1),
                new UnrolledJointTrainer.Config(15, 10, 0, 0, 3, 0.01, 0.2, true, true));
        t.run();
        List<UnrolledJointTrainer.Step> steps = t.history();
        assertEquals(15, steps.size());
        assertTrue(t.learningRate() > 0.01 * 2, "learning rate " + t.learningRate());
        assertTrue(Math.abs(t.momentum() - 0.2) > 0.01, "momentum " + t.momentum());
        assertTrue(steps.get(14).validationLoss() < steps.get(0).validationLoss(),
                steps.get(0).validationLoss() + " → " + steps.get(14).validationLoss());
    }

    /** Untuned learning rate and momentum keep their values (truncated reverse, minibatches). */
    @Test
    void frozenOptimizerHyperparametersStayPut() {
        UnrolledJointTrainer t = new UnrolledJointTrainer(problem(), new Sgd(1e-3), new Adam(0.1),
                new UnrolledJointTrainer.Config(3, 5, 2, 10, 3, 0.05, 0.5, false, false));
        t.run();
        assertEquals(0.05, t.learningRate(), 1e-12);
        assertEquals(0.5, t.momentum(), 1e-12);
    }

    @Nested
    class Contract extends TrainingLoopContract<UnrolledJointTrainer> {
        @Override
        protected UnrolledJointTrainer trainer() {
            return new UnrolledJointTrainer(problem(), new Adam(0.05), new Adam(0.1), resumable());
        }

        @Override
        protected UnrolledJointTrainer trainerWithOtherConfiguration() {
            return new UnrolledJointTrainer(problem(), new Adam(0.05), new Adam(0.1), new UnrolledJointTrainer.Config(5, 5, 0, 10, 3, 0.05, 0.5, true, true));
        }

        @Override
        protected UnrolledJointTrainer trainerWith(PoisonedOptimizer poisoned) {
            return new UnrolledJointTrainer(problem(), poisoned, new Adam(0.1), resumable());
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
        protected double[] numbers(UnrolledJointTrainer t) {
            return concat(t.problem().weights().toDoubleArray(), t.problem().hyperparameters().toDoubleArray(),
                    new double[] {t.learningRate(), t.momentum()});
        }
    }

    /** One momentum convention: the unrolled methods' forward pass is {@code Sgd(η, μ)}'s training, bit for bit. */
    @Test
    void theUnrolledMethodsTrainExactlyWhatSgdTrains() {
        for (double momentum : new double[] {0.0, 0.9}) {
            BilevelProblem byMethod = problem();
            BilevelProblem bySgd = problem();
            org.hypergrad4j.hypergrad.StepFeeds feeds = t -> byMethod.trainingFeed(MinibatchSchedule.rows(40, 10, 5, SeedStream.TRAINING_BATCHES, t), SeedStream.TRAINING_NOISE.seed(5, t));
            org.hypergrad4j.hypergrad.ReverseUnrolledHypergradient.full(org.hypergrad4j.hypergrad.SgdSchedule.constant(12, 0.1, momentum), feeds)
                    .computeUnrolled(byMethod.hypergradientProblem(byMethod.fullTrainingFeed()));
            bySgd.trainWeights(new Sgd(0.1, momentum, false), 12, 10, 5);
            assertArrayEquals(bySgd.weights().toDoubleArray(), byMethod.weights().toDoubleArray(), 0.0, "momentum " + momentum);
        }
    }

    private static UnrolledJointTrainer.Config resumable() {
        return new UnrolledJointTrainer.Config(4, 5, 0, 10, 3, 0.05, 0.5, true, true);
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) {
        BilevelProblem whole = problem();
        UnrolledJointTrainer reference = new UnrolledJointTrainer(whole, new Adam(0.05), new Adam(0.1), resumable());
        reference.run();

        Path folder = dir.resolve("checkpoint");
        new UnrolledJointTrainer(problem(), new Adam(0.05), new Adam(0.1), resumable()).checkpointTo(folder, 2).runFor(2);
        BilevelProblem continued = problem();
        UnrolledJointTrainer resumed = new UnrolledJointTrainer(continued, new Adam(0.05), new Adam(0.1), resumable()).resumeFrom(folder);
        assertEquals(2, resumed.history().size());
        resumed.run();
        assertEquals(reference.history(), resumed.history());
        assertArrayEquals(whole.weights().toDoubleArray(), continued.weights().toDoubleArray(), 0.0);
        assertArrayEquals(whole.hyperparameters().toDoubleArray(), continued.hyperparameters().toDoubleArray(), 0.0);
        assertEquals(reference.learningRate(), resumed.learningRate(), 0.0);
        assertEquals(reference.momentum(), resumed.momentum(), 0.0);

        var wrong = assertThrows(IllegalArgumentException.class, () -> new UnrolledJointTrainer(problem(), new Adam(0.05), new Adam(0.1),
                new UnrolledJointTrainer.Config(5, 5, 0, 10, 3, 0.05, 0.5, true, true)).resumeFrom(folder));
        assertTrue(wrong.getMessage().contains("was written with"), wrong.getMessage());
    }

    @Test
    void nonFiniteHyperparametersRestoreTheStateBeforeTheFailedStep() {
        BilevelProblem oneStep = problem();
        UnrolledJointTrainer reference = new UnrolledJointTrainer(oneStep, new Sgd(1e-3), new Adam(0.1), resumable());
        reference.runFor(1);

        BilevelProblem p = problem();
        UnrolledJointTrainer t = new UnrolledJointTrainer(p, new TrainingLoopContract.PoisonedOptimizer(new Sgd(1e-3), 2), new Adam(0.1), resumable());
        TrainingSummary s = t.run();
        assertEquals(TrainingSummary.Status.DIVERGED, s.status());
        assertTrue(s.message().contains("hyper-step 2"), s.message());
        assertEquals(1, s.unitsDone());
        assertEquals(1, t.history().size());
        assertArrayEquals(oneStep.weights().toDoubleArray(), p.weights().toDoubleArray(), 0.0);
        assertArrayEquals(oneStep.hyperparameters().toDoubleArray(), p.hyperparameters().toDoubleArray(), 0.0);
        assertEquals(reference.learningRate(), t.learningRate(), 0.0);
    }

    @Test
    void badConfigurationsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnrolledJointTrainer.Config(3, 5, 6, 0, 0, 0.1, 0.5, true, true));
        assertTrue(e.getMessage().contains("truncation must lie in [0, unrolledSteps = 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UnrolledJointTrainer.Config(3, 5, 0, 0, 0, 0.1, 0.0, true, true));
        assertThrows(IllegalArgumentException.class, () -> new UnrolledJointTrainer(problem(), new Sgd(1e-3), new Adam(0.1),
                new UnrolledJointTrainer.Config(3, 5, 0, 100, 0, 0.1, 0.5, true, true)));
    }
}
