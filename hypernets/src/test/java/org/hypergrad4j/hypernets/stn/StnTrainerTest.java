package org.hypergrad4j.hypernets.stn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.bilevel.train.TrainingLoopContract;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The STN loop on small synthetic images: discrete hyperparameters, determinism, resume, NaN recovery. */
class StnTrainerTest {
    private static final int SIDE = 8;

    /** Three classes of 8×8 images: a bright bar in the top, middle or bottom third, plus noise. */
    static Dataset bars(String name, int n, long seed) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][SIDE * SIDE];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            int row = 1 + 3 * y[i] + rnd.nextInt(2) - (y[i] == 2 ? 1 : 0);
            for (int p = 0; p < SIDE * SIDE; p++) {
                x[i][p] = 0.6 * rnd.nextGaussian();
            }
            for (int c = 0; c < SIDE; c++) {
                x[i][row * SIDE + c] += 1.5;
            }
        }
        return Dataset.classification(name, x, y, 3);
    }

    private static StnHyperparameters hyperparameters() {
        return new StnHyperparameters(List.of(StnHyperparameter.dropout("dropout.hidden", 0.05), StnHyperparameter.discrete("cutout.length", 0, 6, 2),
                StnHyperparameter.discrete("cutout.holes", 0, 3, 1), StnHyperparameter.linear("noise", 0, 1, 0.1)));
    }

    private static StnNetwork network(StnHyperparameters hp, DataType type) {
        return StnNetwork.builder(SIDE * SIDE, hp).imageShape(1, SIDE, SIDE).dataType(type).seed(3).linear(32, StnNetwork.Activation.RELU)
                .dropout("dropout.hidden").output(3).build();
    }

    private static StnTrainer trainer(StnNetwork net, StnConfig config) {
        return new StnTrainer(net, bars("train", 240, 1), bars("valid", 90, 2), null, new Adam(3e-3), new Adam(0.03), config)
                .withAugmentation(ImageAugmentation.forImages(1, SIDE, SIDE).cutout("cutout.length", "cutout.holes").noise("noise"));
    }

    private static StnConfig config(int cycles) {
        return StnConfig.defaults(cycles).withWarmup(10).withBatchSizes(32, 30).withSeed(9);
    }

    @Nested
    class Contract extends TrainingLoopContract<StnTrainer> {
        @Override
        protected StnTrainer trainer() {
            return StnTrainerTest.trainer(network(hyperparameters(), DataType.FLOAT), config(4));
        }

        @Override
        protected StnTrainer trainerWithOtherConfiguration() {
            return StnTrainerTest.trainer(network(hyperparameters(), DataType.FLOAT), config(5));
        }

        @Override
        protected StnTrainer trainerWith(PoisonedOptimizer poisoned) {
            return new StnTrainer(network(hyperparameters(), DataType.FLOAT), bars("train", 240, 1), bars("valid", 90, 2), null, new Adam(3e-3),
                    poisoned, config(4)).withAugmentation(ImageAugmentation.forImages(1, SIDE, SIDE).cutout("cutout.length", "cutout.holes").noise("noise"));
        }

        @Override
        protected Optimizer optimizerToPoison() {
            return new Adam(0.03);
        }

        @Override
        protected long unitsKeptWhenTheSecondStepIsPoisoned() {
            return 1;
        }

        @Override
        protected double[] numbers(StnTrainer t) {
            return concat(t.network().weights().toDoubleArray(), t.network().hyperparameters().asParamVector().toDoubleArray());
        }
    }

    @Test
    void discreteHyperparametersMoveWithGradientsThatComeOnlyThroughTheBestResponseLayers() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp, DataType.DOUBLE);
        StnTrainer trainer = trainer(net, config(40));
        int length = hp.indexOf("cutout.length");
        int holes = hp.indexOf("cutout.holes");
        double lengthStart = hp.lambda().getDouble(0, length);
        double holesStart = hp.lambda().getDouble(0, holes);
        assertEquals(TrainingSummary.Status.COMPLETED, trainer.run().status());
        double lengthMove = Math.abs(hp.lambda().getDouble(0, length) - lengthStart);
        double holesMove = Math.abs(hp.lambda().getDouble(0, holes) - holesStart);
        System.out.printf("STN discrete: u(cutout.length) moved %.3f, u(cutout.holes) moved %.3f; values %s%n", lengthMove, holesMove, hp.values());
        assertTrue(lengthMove > 0.1, "cutout length's unconstrained value moved only " + lengthMove);
        assertTrue(holesMove > 0.1, "cutout holes' unconstrained value moved only " + holesMove);

        // The hypergradient of the discrete columns is the derivative of L_V through the gates (central differences) ...
        int[] rows = new int[30];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        double[][] eps = new double[rows.length][hp.count()];
        Random rnd = new Random(4);
        for (double[] e : eps) {
            for (int j = 0; j < e.length; j++) {
                e[j] = rnd.nextGaussian();
            }
        }
        INDArray g = trainer.validationLossAndHypergradient(rows, eps).gradients().get(StnHyperparameters.LAMBDA);
        for (int j : new int[]{length, holes}) {
            double u = hp.lambda().getDouble(0, j);
            hp.lambda().putScalar(0, j, u + 1e-6);
            double up = trainer.validationLossAndHypergradient(rows, eps).loss();
            hp.lambda().putScalar(0, j, u - 1e-6);
            double down = trainer.validationLossAndHypergradient(rows, eps).loss();
            hp.lambda().putScalar(0, j, u);
            double numeric = (up - down) / 2e-6;
            assertEquals(numeric, g.getDouble(0, j), 1e-6 * Math.max(1e-3, Math.abs(numeric)) + 1e-9);
            assertTrue(Math.abs(numeric) > 1e-6, "the validation loss should depend on column " + j + " through the gates");
        }
        // ... and without the gates it is exactly zero: floor() and the augmentation contribute nothing.
        for (StnNetwork.LayerTensors t : net.layers()) {
            net.array(t.gateWeight()).assign(0);
            net.array(t.gateBias()).assign(0);
        }
        INDArray gateless = trainer.validationLossAndHypergradient(rows, eps).gradients().get(StnHyperparameters.LAMBDA);
        assertEquals(0.0, gateless.getDouble(0, length), 0.0);
        assertEquals(0.0, gateless.getDouble(0, holes), 0.0);
    }

    @Test
    void sameSeedGivesTheSameScheduleAndWeights() {
        StnNetwork a = network(hyperparameters(), DataType.FLOAT);
        StnNetwork b = network(hyperparameters(), DataType.FLOAT);
        StnTrainer ta = trainer(a, config(6));
        StnTrainer tb = trainer(b, config(6));
        ta.run();
        tb.run();
        assertEquals(ta.schedule(), tb.schedule());
        assertArrayEquals(a.weights().toDoubleArray(), b.weights().toDoubleArray(), 0.0);
        assertEquals(6, ta.schedule().size());
    }

    @Test
    void resumedRunEndsExactlyWhereAnUninterruptedOneDoes(@TempDir Path dir) {
        StnNetwork reference = network(hyperparameters(), DataType.FLOAT);
        StnTrainer whole = trainer(reference, config(6));
        whole.checkpointTo(dir.resolve("whole"), 2).run();

        Path folder = dir.resolve("crashed");
        StnTrainer crashing = trainer(network(hyperparameters(), DataType.FLOAT), config(6)).checkpointTo(folder, 2);
        crashing.addListener(new TrainingListener<StnTrainer.ScheduleEntry>() {
            @Override
            public void onCheckpoint(TrainingListener.CheckpointEvent event) {
                if (event.unit() == 4) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        });
        assertThrows(IllegalStateException.class, crashing::run);

        StnNetwork resumedNet = network(hyperparameters(), DataType.FLOAT);
        StnTrainer resumed = trainer(resumedNet, config(6)).checkpointTo(folder, 2).resumeFrom(folder);
        assertEquals(4, resumed.cyclesDone());
        resumed.run();
        assertEquals(whole.schedule(), resumed.schedule());
        assertArrayEquals(reference.weights().toDoubleArray(), resumedNet.weights().toDoubleArray(), 0.0);
        assertArrayEquals(reference.hyperparameters().lambda().toDoubleVector(), resumedNet.hyperparameters().lambda().toDoubleVector(), 0.0);

        var wrong = assertThrows(IllegalArgumentException.class,
                () -> trainer(network(hyperparameters(), DataType.FLOAT), config(7)).resumeFrom(folder));
        assertTrue(wrong.getMessage().contains("was written with"), wrong.getMessage());
    }

    @Test
    void nonFiniteTrainingRestoresTheLastGoodCycleAndReportsIt() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp, DataType.FLOAT);
        StnTrainer trainer = new StnTrainer(net, bars("train", 240, 1), bars("valid", 90, 2), null, new Sgd(1e12), new Adam(0.03),
                config(5).withWarmup(0));
        String[] stage = new String[1];
        trainer.addListener(new TrainingListener<StnTrainer.ScheduleEntry>() {
            @Override
            public void onRecovery(TrainingListener.Recovery event) {
                stage[0] = event.stage();
            }
        });
        TrainingSummary summary = trainer.run();
        assertEquals(TrainingSummary.Status.DIVERGED, summary.status());
        assertTrue(summary.message().contains("NaN or infinity"), summary.message());
        assertTrue(stage[0] != null && stage[0].contains("step"), "the listener was told where: " + stage[0]);
        assertTrue(net.weights().isFinite(), "weights restored to the last good state");
        assertEquals(trainer.cyclesDone(), trainer.schedule().size());
    }

    @Test
    void mismatchedDataAndSettingsAreRejected() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp, DataType.FLOAT);
        Dataset wrongWidth = Dataset.classification("wide", new double[][]{{1, 2}, {3, 4}}, new int[]{0, 1}, 3);
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> new StnTrainer(net, wrongWidth, bars("v", 30, 2), null, new Adam(1e-3), new Adam(1e-3), config(1)));
        assertTrue(e1.getMessage().contains("'wide' has 2 features and 3 classes, but the network takes 64 features"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new StnTrainer(net, bars("t", 20, 1), bars("v", 30, 2), null, new Adam(1e-3), new Adam(1e-3), config(1)));
        assertTrue(e2.getMessage().contains("Training batch size 32 exceeds the 20 training examples of 't'"), e2.getMessage());
        StnTrainer ok = new StnTrainer(net, bars("t", 64, 1), bars("v", 30, 2), null, new Adam(1e-3), new Adam(1e-3), config(1));
        var e3 = assertThrows(IllegalArgumentException.class, () -> ok.withAugmentation(ImageAugmentation.forImages(1, SIDE, SIDE).shift("noise")));
        assertTrue(e3.getMessage().contains("'noise' drives a discrete augmentation"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> StnConfig.defaults(3).withSteps(0, 1));
        assertTrue(e4.getMessage().contains("trainSteps ≥ 1"), e4.getMessage());
    }

    @Test
    void replayingSetsTheRecordedValuesStepByStep() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp, DataType.FLOAT);
        java.util.Map<String, Double> early = new java.util.LinkedHashMap<>(hp.values());
        early.put("dropout.hidden", 0.3);
        java.util.Map<String, Double> late = new java.util.LinkedHashMap<>(hp.values());
        late.put("dropout.hidden", 0.6);
        late.put("cutout.holes", 3.0);
        List<StnTrainer.ScheduleEntry> schedule = List.of(new StnTrainer.ScheduleEntry(1, 4, 0.5, early, hp.scales(), 1, 1),
                new StnTrainer.ScheduleEntry(2, 8, 1.0, late, hp.scales(), 1, 1));
        StnTrainer t = trainer(net, StnConfig.defaults(0).withWarmup(6).withBatchSizes(32, 30).withSeed(9)).replaying(schedule);
        t.run();
        assertEquals(0.3, hp.value("dropout.hidden"), 1e-6, "after 6 steps the entry recorded at step 4 is in effect");
        StnTrainer longer = trainer(network(hp, DataType.FLOAT), StnConfig.defaults(0).withWarmup(9).withBatchSizes(32, 30).withSeed(9))
                .replaying(schedule);
        longer.run();
        assertEquals(0.6, hp.value("dropout.hidden"), 1e-6, "float32 λ");
        assertEquals(3.0, hp.value("cutout.holes"), 0.0);

        java.util.Map<String, Double> partial = java.util.Map.of("dropout.hidden", 0.2);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(network(hyperparameters(), DataType.FLOAT), config(1))
                .replaying(List.of(new StnTrainer.ScheduleEntry(1, 2, 0.1, partial, partial, 1, 1))));
        assertTrue(e.getMessage().contains("has values for [dropout.hidden]"), e.getMessage());
    }

    @Test
    void replayTakesTheLastEntryRecordedAtOrBeforeEachStep() {
        // Entries at steps 1, 1, 3, 3, 5 (two at the same step: the later one counts); step 0 runs at the initial value.
        long[] at = {1, 1, 3, 3, 5};
        double[] rate = {0.11, 0.12, 0.21, 0.22, 0.51};
        List<StnTrainer.ScheduleEntry> schedule = new java.util.ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            java.util.Map<String, Double> v = new java.util.LinkedHashMap<>(hyperparameters().values());
            v.put("dropout.hidden", rate[i]);
            schedule.add(new StnTrainer.ScheduleEntry(i + 1, at[i], 0, v, v, 1, 1));
        }
        for (int steps = 1; steps <= 7; steps++) {
            StnHyperparameters hp = hyperparameters();
            trainer(network(hp, DataType.DOUBLE), StnConfig.defaults(0).withWarmup(steps).withBatchSizes(32, 30)).replaying(schedule).run();
            double expected = hyperparameters().value("dropout.hidden");
            for (int i = 0; i < at.length; i++) {
                if (at[i] <= steps - 1) {
                    expected = rate[i]; // the last step run is step steps − 1
                }
            }
            assertEquals(expected, hp.value("dropout.hidden"), 1e-12, "after " + steps + " steps");
        }
    }
}
