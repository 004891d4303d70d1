package org.hypergrad4j.hypergrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Per-layer learning-rate schedules (Maclaurin et al. 2015) through the reverse-unrolled method. */
class PerTensorLearningRatesTest {
    private static final double H = 1e-6;

    private record Setup(ExactSecondOrderView view, HypergradientProblem problem, ParamVector w0) {
    }

    private static Setup setup() {
        TestModels.Model m = TestModels.mlp(3, DataType.DOUBLE, 16, 5, new int[] {4}, 3, TestModels.Activation.TANH);
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        HypergradientProblem problem = HypergradientProblem.fullBatch(view, m.feed(), view, m.feed());
        return new Setup(view, problem, view.weights().dup());
    }

    private static Map<String, double[]> rates(ParamVector w, int steps) {
        Map<String, double[]> r = new LinkedHashMap<>();
        int k = 0;
        for (String name : w.names()) {
            double[] perStep = new double[steps];
            for (int t = 0; t < steps; t++) {
                perStep[t] = 0.05 + 0.02 * k + 0.01 * t;
            }
            r.put(name, perStep);
            k++;
        }
        return r;
    }

    private static double lossAfter(Setup s, SgdSchedule schedule) {
        s.view().weights().assignInPlace(s.w0());
        ReverseUnrolledHypergradient.full(schedule, StepFeeds.constant(s.problem().validationFeed().get())).computeUnrolled(s.problem());
        double loss = s.problem().validation().loss(s.problem().validationFeed().get());
        s.view().weights().assignInPlace(s.w0());
        return loss;
    }

    @Test
    void eachTensorsRateGradientMatchesCentralDifferences() {
        Setup s = setup();
        int steps = 6;
        Map<String, double[]> rates = rates(s.w0(), steps);
        s.view().weights().assignInPlace(s.w0());
        UnrolledHypergradient u = ReverseUnrolledHypergradient.full(SgdSchedule.perTensor(rates, 0.5),
                StepFeeds.constant(s.problem().validationFeed().get())).computeUnrolled(s.problem());
        assertEquals(rates.keySet(), u.tensorLearningRateGradient().keySet());
        for (String k : rates.keySet()) {
            for (int t = 0; t < steps; t++) {
                Map<String, double[]> plus = copy(rates);
                Map<String, double[]> minus = copy(rates);
                plus.get(k)[t] += H;
                minus.get(k)[t] -= H;
                double fd = (lossAfter(s, SgdSchedule.perTensor(plus, 0.5)) - lossAfter(s, SgdSchedule.perTensor(minus, 0.5))) / (2 * H);
                assertEquals(fd, u.tensorLearningRateGradient().get(k)[t], 1e-6 * Math.abs(fd) + 1e-10, "tensor " + k + ", step " + t);
            }
        }
    }

    @Test
    void equalPerTensorRatesTrainBitForBitAsOneSchedule() {
        Setup s = setup();
        double[] one = {0.1, 0.2, 0.15};
        Map<String, double[]> same = new LinkedHashMap<>();
        s.w0().names().forEach(k -> same.put(k, one.clone()));
        s.view().weights().assignInPlace(s.w0());
        UnrolledHypergradient a = ReverseUnrolledHypergradient.full(new SgdSchedule(one, 0.9), StepFeeds.constant(s.problem().validationFeed().get()))
                .computeUnrolled(s.problem());
        double[] wa = s.view().weights().toDoubleArray();
        s.view().weights().assignInPlace(s.w0());
        UnrolledHypergradient b = ReverseUnrolledHypergradient.full(SgdSchedule.perTensor(same, 0.9),
                StepFeeds.constant(s.problem().validationFeed().get())).computeUnrolled(s.problem());
        assertArrayEquals(wa, s.view().weights().toDoubleArray(), 0.0, "the trajectories");
        assertArrayEquals(a.learningRateGradient(), b.learningRateGradient(), 1e-15, "the per-step gradient is the sum over tensors");
        double[] sum = new double[one.length];
        b.tensorLearningRateGradient().values().forEach(g -> {
            for (int t = 0; t < sum.length; t++) {
                sum[t] += g[t];
            }
        });
        assertArrayEquals(a.learningRateGradient(), sum, 1e-12);
    }

    @Test
    void badRatesAreNamed() {
        assertEquals("The learning rates of tensor 'W0' number 2, but the schedule has 3 steps.",
                assertThrows(IllegalArgumentException.class, () -> new SgdSchedule(new double[] {0.1, 0.1, 0.1}, 0.0,
                        Map.of("W0", new double[] {0.1, 0.1}))).getMessage());
        assertEquals("Learning rate of tensor 'b0' at step 1 must be positive and finite, got -0.1.",
                assertThrows(IllegalArgumentException.class, () -> SgdSchedule.perTensor(Map.of("b0", new double[] {0.1, -0.1}), 0.0)).getMessage());
    }

    private static Map<String, double[]> copy(Map<String, double[]> m) {
        Map<String, double[]> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }
}
