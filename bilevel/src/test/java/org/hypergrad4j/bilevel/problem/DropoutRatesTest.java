package org.hypergrad4j.bilevel.problem;

import org.hypergrad4j.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.DropoutRates;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DropoutRatesTest {
    private static final Dataset TRAIN = Blobs.make("train", 30, 4, 3, 1.0, 1);
    private static final Dataset VAL = Blobs.make("val", 20, 4, 3, 1.0, 2);

    private static BilevelProblem problem() {
        return Hpo.on(TRAIN, VAL).model(new Mlp(4, new int[] {6, 5}, 3, Mlp.Activation.TANH, 2))
                .tune(DropoutRates.startingAt(0.3)).tune(WeightDecay.global(-3)).dataType(DataType.DOUBLE).build();
    }

    /** ∂L_T/∂θ of the relaxed dropout rates against central differences, noise fixed (float64). */
    @Test
    void trainingLossGradientWithRespectToRatesMatchesFiniteDifferences() {
        BilevelProblem p = problem();
        assertEquals("{dropout_0=[1, 1], dropout_1=[1, 1], decay=[1, 1]}", p.hyperparameters().shapes());
        Map<String, INDArray> feed = p.fullTrainingFeed(3);
        for (String rate : new String[] {"dropout_0", "dropout_1"}) {
            double analytic = p.training().lossAndGradient(feed).hyperparameterGradient().get(rate).getDouble(0);
            INDArray theta = p.hyperparameters().get(rate);
            double old = theta.getDouble(0);
            double h = 1e-6;
            theta.putScalar(0, old + h);
            double plus = p.training().loss(feed);
            theta.putScalar(0, old - h);
            double minus = p.training().loss(feed);
            theta.putScalar(0, old);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), rate);
            assertNotEquals(0.0, analytic, rate + " must influence the training loss");
        }
    }

    @Test
    void validationUsesNoDropoutAndNoiseIsReproducible() {
        BilevelProblem p = problem();
        double before = p.validation().loss(p.validationFeed());
        p.hyperparameters().get("dropout_0").assign(2.0);
        assertEquals(before, p.validation().loss(p.validationFeed()), 0.0, "the validation loss does not depend on dropout");
        assertEquals(p.training().loss(p.fullTrainingFeed(5)), p.training().loss(p.fullTrainingFeed(5)), 0.0);
        assertNotEquals(p.training().loss(p.fullTrainingFeed(5)), p.training().loss(p.fullTrainingFeed(6)));
    }

    @Test
    void ratesMoveDuringJointTraining() {
        var result = Hpo.on(TRAIN, VAL).model(new Mlp(4, new int[] {6}, 3, Mlp.Activation.TANH, 2))
                .tune(DropoutRates.startingAt(0.3)).dataType(DataType.DOUBLE).outerOptimizer(new Adam(0.1))
                .hyperSteps(5).innerSteps(10).run();
        assertEquals(TrainingSummary.Status.COMPLETED, result.summary().status());
        double raw = result.problem().hyperparameters().get("dropout_0").getDouble(0);
        double initialRaw = DropoutRates.startingAt(0.3).constraint().inverse(0.3, "rate");
        assertTrue(Math.abs(raw - initialRaw) > 1e-3, "the rate moved: " + initialRaw + " → " + raw);
    }

    @Test
    void dropoutNeedsHiddenLayers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hpo.on(TRAIN, VAL).tune(DropoutRates.startingAt(0.3)).build());
        assertTrue(e.getMessage().contains("has none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DropoutRates.startingAt(0.95));
    }
}
