package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.problem.Blobs;
import org.hypergrad4j.bilevel.problem.LabeledData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class UnrolledJointTrainerTest {
    private static final LabeledData TRAIN = Blobs.make("train", 40, 5, 3, 0.7, 1);
    private static final LabeledData VAL = Blobs.make("val", 30, 5, 3, 0.7, 2);

    private static BilevelProblem problem() {
        return Hpo.on(TRAIN, VAL).tune(WeightDecay.global(-4)).dataType(DataType.DOUBLE).build();
    }

    /**
     * A too-small learning rate is raised by its hypergradient and the validation loss falls. The momentum
     * moves too (in this parametrisation, v ← γv − (1−γ)g, a larger γ shrinks early steps, so with too
     * small a learning rate it goes down).
     */
    @Test
    void tunesTheLearningRateUpFromATooSmallValueAndMovesTheMomentum() {
        UnrolledJointTrainer t = new UnrolledJointTrainer(problem(), new Sgd(1e-3), new Adam(0.1),
                new UnrolledJointTrainer.Config(15, 10, 0, 0, 3, 0.01, 0.2, true, true));
        List<UnrolledJointTrainer.Step> steps = t.run();
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
