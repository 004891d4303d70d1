package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The loop's own rules on a scripted trainer: the blow-up rule, runFor, wall time across resumes, field names. */
class TrainingLoopTest {

    /** A trainer whose unit {@code u} reports {@code losses[u − 1]} and adds it to a running sum (its state). */
    private static final class Scripted extends TrainingLoop<Scripted.Unit, Scripted> {
        record Unit(long unit, double monitoredLoss) {
        }

        record Config(int a, String b) {
        }

        record Run(double lr) {
        }

        private final double[] losses;
        private final Config configuration;
        double sum;
        long count;

        Scripted(double[] losses, Config configuration) {
            super("step", Unit.class, Unit::monitoredLoss);
            this.losses = losses;
            this.configuration = configuration;
        }

        /** Also keeps a unit counter and, after it, a tensor of {@code width} entries. */
        Scripted(double[] losses, Config configuration, int width) {
            this(losses, configuration);
            ParamVector tensor = ParamVector.of("w", Nd4j.zeros(DataType.DOUBLE, width));
            keepCounter("count", () -> count, v -> count = v);
            keep("tensor", () -> tensor);
        }

        @Override
        protected long totalUnits() {
            return losses.length;
        }

        @Override
        protected Unit runUnit(long unit) {
            count++;
            sum += losses[(int) unit - 1];
            return new Unit(unit, losses[(int) unit - 1]);
        }

        @Override
        protected void saveState(TrainingState state) {
            state.put("sum", sum);
        }

        @Override
        protected void loadState(TrainingState state) {
            sum = state.doubleValue("sum");
        }

        @Override
        protected Record configuration() {
            return configuration;
        }
    }

    @Test
    void aFiniteButBlownUpLossEndsTheRunWithTheStateBeforeIt() {
        // Best 0.5, factor 1e4: 4.9e3 passes, 6e3 does not (limit max(2.0, 5e3)).
        Scripted s = new Scripted(new double[] {2.0, 0.5, 4.9e3, 6e3, 1.0}, new Scripted.Config(1, ""));
        TrainingSummary summary = s.run();
        assertEquals(TrainingSummary.Status.DIVERGED, summary.status());
        assertEquals(3, summary.unitsDone());
        assertEquals(2.0 + 0.5 + 4.9e3, s.sum, 0.0, "the state after unit 3 is kept, unit 4 undone");
        assertTrue(summary.message().contains("A blown-up loss at step 4: the loss 6000.0 exceeds max(first loss 2.0, 10000.0 × best loss 0.5)"),
                summary.message());
    }

    @Test
    void lossesBelowTheFirstNeverCountAsBlownUpAndTheFactorIsConfigurable() {
        Scripted tiny = new Scripted(new double[] {1.0, 1e-7, 0.9}, new Scripted.Config(0, ""));
        assertEquals(TrainingSummary.Status.COMPLETED, tiny.run().status(), "0.9 is below the first loss 1.0");
        Scripted strict = new Scripted(new double[] {1.0, 1.0, 30.0}, new Scripted.Config(0, "")).blowUpFactor(10);
        assertEquals(2, strict.run().unitsDone());
        Scripted nan = new Scripted(new double[] {1.0, Double.NaN}, new Scripted.Config(0, ""));
        assertEquals(1, nan.run().unitsDone());
        assertThrows(IllegalArgumentException.class, () -> strict.blowUpFactor(1.0));
    }

    @Test
    void runForPausesAndTheWallTimeCarriesOverAResume(@TempDir Path dir) {
        Scripted a = new Scripted(new double[] {1, 1, 1, 1}, new Scripted.Config(1, "x")).checkpointTo(dir);
        assertEquals(TrainingSummary.Status.PAUSED, a.runFor(2).status());
        Scripted b = new Scripted(new double[] {1, 1, 1, 1}, new Scripted.Config(1, "x")).resumeFrom(dir);
        assertEquals(2, b.unitsDone());
        assertEquals(a.keptSeconds(), b.keptSeconds(), 0.0);
        TrainingSummary rest = b.run();
        assertEquals(TrainingSummary.Status.COMPLETED, rest.status());
        assertTrue(rest.totalSeconds() >= a.keptSeconds());
        assertEquals(4.0, b.sum, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Scripted(new double[] {1, 1, 1, 1}, new Scripted.Config(1, "y")).resumeFrom(dir));
        assertTrue(e.getMessage().contains("b was x, now y"), e.getMessage());
        IllegalArgumentException settings = assertThrows(IllegalArgumentException.class,
                () -> new Scripted(new double[] {1, 1, 1, 1}, new Scripted.Config(1, "x")).recordSettings(new Scripted.Run(0.2)).resumeFrom(dir));
        assertTrue(settings.getMessage().contains("other settings: lr was null, now 0.2"), settings.getMessage());
    }

    @Test
    void aSavedHistoryOfAnotherLengthIsRefusedBeforeAnythingIsRestored(@TempDir Path dir) {
        Scripted a = new Scripted(new double[] {1, 2, 3}, new Scripted.Config(1, "x"));
        a.runFor(2);
        a.saveCheckpoint(dir);
        Checkpoints.Loaded saved = Checkpoints.readLatest(dir);
        assertEquals(List.of(new Scripted.Unit(1, 1.0), new Scripted.Unit(2, 2.0)), new Scripted(new double[] {1, 2, 3},
                new Scripted.Config(1, "x")).resumeFrom(dir).history(), "the history comes back");
        // A checkpoint (intact on disk) whose history lacks the second unit's event.
        String history = saved.state().string("history");
        Checkpoints.write(dir, 3, saved.state().put("history", history.substring(0, history.indexOf('\n'))));
        Scripted b = new Scripted(new double[] {1, 2, 3}, new Scripted.Config(1, "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.resumeFrom(dir));
        assertTrue(e.getMessage().contains("holds 1 events for 2 units"), e.getMessage());
        assertEquals(0, b.unitsDone());
        assertEquals(0.0, b.sum, 0.0, "nothing restored");
    }

    @Test
    void aResumeRefusedForOnePartLeavesEveryPartAsItWas(@TempDir Path dir) {
        Scripted a = new Scripted(new double[] {1, 2, 3}, new Scripted.Config(1, "x"), 2);
        a.runFor(2);
        a.saveCheckpoint(dir);
        Scripted fits = new Scripted(new double[] {1, 2, 3}, new Scripted.Config(1, "x"), 2).resumeFrom(dir);
        assertEquals(2, fits.count);
        Scripted wider = new Scripted(new double[] {1, 2, 3}, new Scripted.Config(1, "x"), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wider.resumeFrom(dir));
        assertTrue(e.getMessage().contains("does not fit this trainer's tensor"), e.getMessage());
        assertEquals(0, wider.count, "the counter, restored before the tensor failed, is rolled back");
        assertEquals(0, wider.unitsDone());
        assertEquals(0.0, wider.sum, 0.0);
        assertEquals(3, wider.run().unitsDone(), "the trainer runs from its start");
    }

    @Test
    void printEveryLogsEveryNthUnitAndEachRecovery() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Scripted s = new Scripted(new double[] {1, 2, 3, 4, Double.NaN}, new Scripted.Config(1, "x"))
                .printEvery(new java.io.PrintStream(bytes, true), 2);
        s.run();
        assertEquals(List.of("Unit[unit=2, monitoredLoss=2.0]", "Unit[unit=4, monitoredLoss=4.0]"),
                bytes.toString().lines().filter(l -> l.startsWith("Unit")).toList());
        assertTrue(bytes.toString().contains("recovered: NaN or infinity at step 5"), bytes.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.printEvery(System.out, 0));
        assertTrue(e.getMessage().contains("printing interval must be at least 1 steps, got 0"), e.getMessage());
    }
}
