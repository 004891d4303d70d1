package org.hypergrad4j.hypergrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.testing.BilevelFixtures;
import org.hypergrad4j.testing.BilevelFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reverse-unrolled, forward-unrolled and central finite differences through the same run of SGD with
 * momentum agree to 1e-6 relative in float64, for λ, the learning rate and the momentum.
 */
class UnrolledAgreementTest {
    private static final int STEPS = 12;
    private static final double LEARNING_RATE = 0.16; // with momentum 0.6: the step of Maclaurin's α = 0.4
    private static final double MOMENTUM = 0.6;
    private static final double H = 1e-5;

    /** SGD with momentum in the project's convention (m ← μm + g, w ← w − ηm), written independently of the methods. */
    private static double trainAndValidate(Fixture f, ParamVector w0, double eta, double mu) {
        ParamVector w = f.weights();
        w.assignInPlace(w0);
        ParamVector m = w.zerosLike();
        for (int t = 0; t < STEPS; t++) {
            ParamVector g = f.problem().training().lossAndGradient(f.trainingFeed()).weightGradient();
            m = m.scale(mu).add(g);
            w.assignInPlace(w.sub(m.scale(eta)));
        }
        return f.problem().validation().loss(f.validationFeed());
    }

    private static ParamVector startingPoint(Fixture f) {
        ParamVector w0 = f.weights().dup();
        double[] d = new double[(int) w0.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.3 * Math.sin(1.7 * i + 0.4);
        }
        return w0.withValues(d);
    }

    @Test
    void reverseForwardAndFiniteDifferencesAgree() {
        Fixture f = BilevelFixtures.logistic(5, 50, 40, 4);
        ParamVector w0 = startingPoint(f);
        SgdSchedule schedule = SgdSchedule.constant(STEPS, LEARNING_RATE, MOMENTUM);
        StepFeeds feeds = StepFeeds.constant(f.trainingFeed());

        f.weights().assignInPlace(w0);
        UnrolledHypergradient reverse = ReverseUnrolledHypergradient.full(schedule, feeds).computeUnrolled(f.problem());
        f.weights().assignInPlace(w0);
        UnrolledHypergradient forward = new ForwardUnrolledHypergradient(schedule, feeds).computeUnrolled(f.problem());

        INDArray lambda = f.problem().hyperparameters().get("lambda");
        double[] fd = new double[(int) lambda.length()];
        for (int j = 0; j < fd.length; j++) {
            double old = lambda.getDouble(j);
            lambda.putScalar(j, old + H);
            double plus = trainAndValidate(f, w0, LEARNING_RATE, MOMENTUM);
            lambda.putScalar(j, old - H);
            double minus = trainAndValidate(f, w0, LEARNING_RATE, MOMENTUM);
            lambda.putScalar(j, old);
            fd[j] = (plus - minus) / (2 * H);
        }
        double fdAlpha = (trainAndValidate(f, w0, LEARNING_RATE + H, MOMENTUM) - trainAndValidate(f, w0, LEARNING_RATE - H, MOMENTUM)) / (2 * H);
        double fdGamma = (trainAndValidate(f, w0, LEARNING_RATE, MOMENTUM + H) - trainAndValidate(f, w0, LEARNING_RATE, MOMENTUM - H)) / (2 * H);

        double[] rev = reverse.result().hypergradient().toDoubleArray();
        double[] fwd = forward.result().hypergradient().toDoubleArray();
        assertTrue(HypergradientCheck.relativeError(rev, fd) < 1e-6, "reverse vs FD: " + HypergradientCheck.relativeError(rev, fd));
        assertTrue(HypergradientCheck.relativeError(fwd, fd) < 1e-6, "forward vs FD: " + HypergradientCheck.relativeError(fwd, fd));
        assertTrue(HypergradientCheck.relativeError(rev, fwd) < 1e-9, "reverse vs forward: " + HypergradientCheck.relativeError(rev, fwd));
        assertEquals(fdAlpha, reverse.globalLearningRateGradient(), 1e-6 * Math.abs(fdAlpha), "learning rate, reverse");
        assertEquals(fdAlpha, forward.globalLearningRateGradient(), 1e-6 * Math.abs(fdAlpha), "learning rate, forward");
        assertEquals(fdGamma, reverse.momentumGradient(), 1e-6 * Math.abs(fdGamma), "momentum, reverse");
        assertEquals(fdGamma, forward.momentumGradient(), 1e-6 * Math.abs(fdGamma), "momentum, forward");

        // Initial weights: d L_V / d w0 by finite differences along one direction.
        ParamVector dir = w0.withValues(new double[] {0.5, -0.2, 0.1, 0.7});
        double fdW0 = (trainAndValidate(f, w0.add(dir.scale(H)), LEARNING_RATE, MOMENTUM)
                - trainAndValidate(f, w0.sub(dir.scale(H)), LEARNING_RATE, MOMENTUM)) / (2 * H);
        assertEquals(fdW0, reverse.initialWeightsGradient().dot(dir), 1e-6 * Math.abs(fdW0), "initial weights");
        assertEquals(reverse.initialWeightsGradient().dot(w0), reverse.initialScaleGradient(w0), 0.0);
    }

    @Test
    void perStepLearningRatesMatchFiniteDifferences() {
        Fixture f = BilevelFixtures.ridge(6, 30, 20, 3);
        ParamVector w0 = startingPoint(f);
        double[] rates = {0.05, 0.1, 0.08, 0.12, 0.06};
        StepFeeds feeds = StepFeeds.constant(f.trainingFeed());
        f.weights().assignInPlace(w0);
        UnrolledHypergradient reverse = ReverseUnrolledHypergradient.full(new SgdSchedule(rates, 0.3), feeds).computeUnrolled(f.problem());
        for (int t = 0; t < rates.length; t++) {
            double[] plus = rates.clone();
            double[] minus = rates.clone();
            plus[t] += H;
            minus[t] -= H;
            double fd = (run(f, w0, plus, 0.3) - run(f, w0, minus, 0.3)) / (2 * H);
            assertEquals(fd, reverse.learningRateGradient()[t], 1e-6 * Math.abs(fd) + 1e-12, "step " + t);
        }
    }

    private static double run(Fixture f, ParamVector w0, double[] rates, double gamma) {
        f.weights().assignInPlace(w0);
        ReverseUnrolledHypergradient.full(new SgdSchedule(rates, gamma), StepFeeds.constant(f.trainingFeed())).computeUnrolled(f.problem());
        return f.problem().validation().loss(f.validationFeed());
    }

    @Test
    void memoryIsLinearInStepsAndInTheTruncationWindow() {
        Fixture f = BilevelFixtures.logistic(7, 30, 20, 5);
        ParamVector w0 = startingPoint(f);
        StepFeeds feeds = StepFeeds.constant(f.trainingFeed());
        long perState = 2L * w0.length() * Double.BYTES; // w_t and m_t
        for (int steps : new int[] {5, 10, 20}) {
            f.weights().assignInPlace(w0);
            UnrolledHypergradient full = ReverseUnrolledHypergradient.full(SgdSchedule.constant(steps, 0.3, 0.5), feeds).computeUnrolled(f.problem());
            assertEquals(steps * perState, full.storedBytes(), "full reverse over " + steps + " steps");
            f.weights().assignInPlace(w0);
            UnrolledHypergradient truncated = ReverseUnrolledHypergradient.truncated(SgdSchedule.constant(steps, 0.3, 0.5), feeds, 4)
                    .computeUnrolled(f.problem());
            assertEquals(4 * perState, truncated.storedBytes(), "truncated (K = 4) over " + steps + " steps");
            assertNull(truncated.initialWeightsGradient());
        }
    }

    @Test
    void checkpointingGivesTheSameHypergradientWithLessMemory() {
        Fixture f = BilevelFixtures.logistic(8, 30, 20, 5);
        ParamVector w0 = startingPoint(f);
        StepFeeds feeds = StepFeeds.constant(f.trainingFeed());
        SgdSchedule schedule = SgdSchedule.constant(24, 0.3, 0.5);
        f.weights().assignInPlace(w0);
        UnrolledHypergradient stored = ReverseUnrolledHypergradient.full(schedule, feeds).computeUnrolled(f.problem());
        ParamVector wT = f.weights().dup();
        f.weights().assignInPlace(w0);
        UnrolledHypergradient checkpointed = ReverseUnrolledHypergradient.full(schedule, feeds).checkpointingEvery(5).computeUnrolled(f.problem());
        assertEquals(0.0, HypergradientCheck.relativeError(checkpointed.result().hypergradient().toDoubleArray(),
                stored.result().hypergradient().toDoubleArray()), 1e-12);
        assertEquals(stored.momentumGradient(), checkpointed.momentumGradient(), 1e-12 * Math.abs(stored.momentumGradient()));
        assertTrue(checkpointed.storedBytes() < stored.storedBytes() / 2,
                checkpointed.storedBytes() + " bytes with checkpoints vs " + stored.storedBytes());
        assertEquals(0.0, HypergradientCheck.relativeError(f.weights().toDoubleArray(), wT.toDoubleArray()), 0.0, "ends at w_T");
    }

    @Test
    void realTimeForwardModeKeepsTangentsAcrossHyperparameterUpdates() {
        Fixture f = BilevelFixtures.ridge(9, 40, 30, 3);
        f.weights().assignInPlace(startingPoint(f));
        ForwardUnrolledHypergradient method = new ForwardUnrolledHypergradient(SgdSchedule.constant(60, 0.1, 0.0),
                StepFeeds.constant(f.trainingFeed()));
        ForwardUnrolledHypergradient.Run run = method.start(f.problem());
        double first = Double.NaN;
        double last = Double.NaN;
        for (int t = 0; t < 60; t++) {
            run.step();
            if ((t + 1) % 10 == 0) {
                ForwardUnrolledHypergradient.Hypergradients h = run.hypergradient();
                f.problem().hyperparameters().axpyInPlace(-2.0, h.lambda());
                if (Double.isNaN(first)) {
                    first = h.validationLoss();
                }
                last = h.validationLoss();
            }
        }
        assertEquals(60, run.stepsTaken());
        assertTrue(last < first, "validation loss should fall while λ is tuned online: " + first + " → " + last);
    }
}
