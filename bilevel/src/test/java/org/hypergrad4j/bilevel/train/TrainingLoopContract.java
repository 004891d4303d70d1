package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every trainer on the {@link TrainingLoop} must do, as tests that each trainer's test class runs by
 * subclassing this (as a {@code @Nested} class): the same seed gives the same numbers; a run resumed after a
 * simulated crash ends bit-identical to an uninterrupted one; NaN restores the state before the failing unit
 * and ends {@code DIVERGED}; a checkpoint of another configuration is refused.
 *
 * @param <T> the trainer
 */
public abstract class TrainingLoopContract<T extends TrainingLoop<?, T>> {

    /** A new trainer on a fresh problem, with the same settings at every call; at least three units. */
    protected abstract T trainer();

    /** A new trainer like {@link #trainer()} but with another configuration. */
    protected abstract T trainerWithOtherConfiguration();

    /** A new trainer like {@link #trainer()} whose optimiser {@code poisoned} wraps one of its optimisers. */
    protected abstract T trainerWith(PoisonedOptimizer poisoned);

    /** The optimiser that {@link #trainerWith} wraps, as {@link #trainer()} builds it. */
    protected abstract Optimizer optimizerToPoison();

    /** The units kept when the poisoned optimiser writes NaN at its second step. */
    protected abstract long unitsKeptWhenTheSecondStepIsPoisoned();

    /** Every number of the trainer's state (weights, hyperparameters, …), for bitwise comparison. */
    protected abstract double[] numbers(T trainer);

    /** The parts one after another. */
    protected static double[] concat(double[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        T a = trainer();
        T b = trainer();
        assertEquals(TrainingSummary.Status.COMPLETED, a.run().status());
        b.run();
        assertArrayEquals(numbers(a), numbers(b), 0.0);
    }

    @Test
    void aRunResumedAfterASimulatedCrashEndsBitIdentical(@TempDir Path dir) {
        T whole = trainer();
        TrainingSummary full = whole.run();
        T crashing = trainer().checkpointTo(dir, 1);
        List<Object> crashingEvents = new ArrayList<>();
        crashing.addListener(new TrainingListener<Object>() {
            @Override
            public void onUnit(Object event) {
                crashingEvents.add(event);
            }

            @Override
            public void onCheckpoint(CheckpointEvent event) {
                if (event.unit() == 2) {
                    throw new IllegalStateException("simulated crash after unit 2");
                }
            }
        });
        assertThrows(IllegalStateException.class, crashing::run);
        T resumed = trainer().resumeFrom(dir);
        assertEquals(2, resumed.unitsDone());
        assertEquals(crashingEvents, resumed.history(), "the checkpoint carries the kept units' events exactly");
        TrainingSummary rest = resumed.run();
        assertEquals(TrainingSummary.Status.COMPLETED, rest.status());
        assertEquals(full.unitsDone(), rest.unitsDone());
        assertArrayEquals(numbers(whole), numbers(resumed), 0.0);
        assertArrayEquals(monitoredLosses(whole), monitoredLosses(resumed), 0.0, "the history continues as if never interrupted");
    }

    private static double[] monitoredLosses(TrainingLoop<?, ?> t) {
        return lossesOf(t);
    }

    private static <E extends Record> double[] lossesOf(TrainingLoop<E, ?> t) {
        return t.history().stream().mapToDouble(t::monitoredLoss).toArray();
    }

    @Test
    void nanRestoresTheStateBeforeTheFailingUnitAndEndsDiverged() {
        T p = trainerWith(new PoisonedOptimizer(optimizerToPoison(), 2));
        TrainingListener.Recovery[] recovery = new TrainingListener.Recovery[1];
        p.addListener(new TrainingListener<Object>() {
            @Override
            public void onRecovery(Recovery event) {
                recovery[0] = event;
            }
        });
        TrainingSummary s = p.run();
        assertEquals(TrainingSummary.Status.DIVERGED, s.status(), s.message());
        long kept = unitsKeptWhenTheSecondStepIsPoisoned();
        assertEquals(kept, s.unitsDone());
        assertEquals(kept, p.history().size(), "the failed unit's event is not kept");
        assertTrue(recovery[0] != null && recovery[0].unitsKept() == kept, "the listeners are told");
        T clean = trainer();
        clean.runFor(kept);
        assertArrayEquals(numbers(clean), numbers(p), 0.0, "the state after the last good unit");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefused(@TempDir Path dir) {
        T a = trainer();
        a.runFor(1);
        a.saveCheckpoint(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainerWithOtherConfiguration().resumeFrom(dir));
        assertTrue(e.getMessage().contains("another configuration") || e.getMessage().contains("belongs to"), e.getMessage());
    }

    /** Wraps an optimiser and writes NaN into the parameters at its {@code poisonStep}-th step. */
    public static final class PoisonedOptimizer implements Optimizer {
        private final Optimizer inner;
        private final long poisonStep;

        public PoisonedOptimizer(Optimizer inner, long poisonStep) {
            this.inner = inner;
            this.poisonStep = poisonStep;
        }

        @Override
        public void step(ParamVector params, ParamVector gradient) {
            inner.step(params, gradient);
            if (inner.steps() == poisonStep) {
                params.get(params.names().get(0)).putScalar(0, Double.NaN);
            }
        }

        @Override
        public void reset() {
            inner.reset();
        }

        @Override
        public long steps() {
            return inner.steps();
        }

        @Override
        public Map<String, ParamVector> state() {
            return inner.state();
        }

        @Override
        public void restore(Map<String, ParamVector> state, long steps) {
            inner.restore(state, steps);
        }

        @Override
        public String describe() {
            return inner.describe() + ", poisoned at step " + poisonStep;
        }
    }
}
