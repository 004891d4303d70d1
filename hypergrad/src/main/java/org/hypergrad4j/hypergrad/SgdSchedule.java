package org.hypergrad4j.hypergrad;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inner optimiser unrolled by the unrolled methods: {@code T} steps of SGD with momentum in the
 * project's one convention, that of {@code bilevel.optim.Sgd} (and PyTorch):
 * {@code m_{t+1} = μ m_t + g_t}, {@code w_{t+1} = w_t − η_t m_{t+1}}, with {@code g_t = ∇_w L_T(w_t, λ)} on step
 * {@code t}'s feed and {@code m_0 = 0}, the same operations in the same order as {@code Sgd(η, μ)}, so the
 * unrolled methods differentiate exactly the optimiser that trains. {@code μ = 0} is plain SGD. (Maclaurin et
 * al. 2015 write {@code v ← γv − (1−γ)g, w ← w + αv}: the same steps with {@code γ = μ},
 * {@code α = η/(1−μ)}.)
 *
 *
 * <p>With {@code tensorLearningRates}, weight tensor {@code k} named there moves by its own rate:
 * {@code w_{t+1,k} = w_{t,k} − η_{t,k} m_{t+1,k}} (Maclaurin et al.'s per-layer schedules); tensors not named use
 * {@code η_t}.
 *
 * @param learningRates       {@code η_t} for {@code t = 0..T−1}, each positive and finite
 * @param momentum            {@code μ ∈ [0, 1)}
 * @param tensorLearningRates per weight tensor name, {@code η_{t,k}} for {@code t = 0..T−1} (positive, finite); may be empty
 */
public record SgdSchedule(double[] learningRates, double momentum, Map<String, double[]> tensorLearningRates) {
    /** One rate per step for every tensor. */
    public SgdSchedule(double[] learningRates, double momentum) {
        this(learningRates, momentum, Map.of());
    }

    public SgdSchedule {
        if (learningRates == null || learningRates.length == 0) {
            throw new IllegalArgumentException("An SGD schedule needs at least one step.");
        }
        learningRates = learningRates.clone();
        for (int t = 0; t < learningRates.length; t++) {
            if (!(learningRates[t] > 0) || Double.isInfinite(learningRates[t])) {
                throw new IllegalArgumentException("Learning rate of step " + t + " must be positive and finite, got " + learningRates[t] + ".");
            }
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Momentum must lie in [0, 1), got " + momentum + ".");
        }
        tensorLearningRates = checkedTensorRates(tensorLearningRates, learningRates.length);
    }

    /**
     * Per-tensor schedules: every weight tensor must be named in {@code rates} (they must have equal lengths);
     * {@link #learningRate(int)} then gives the first tensor's rate.
     */
    public static SgdSchedule perTensor(Map<String, double[]> rates, double momentum) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("A per-tensor schedule needs the rates of at least one tensor.");
        }
        double[] first = rates.values().iterator().next();
        Map<String, double[]> checked = checkedTensorRates(rates, first == null ? 0 : first.length);
        return new SgdSchedule(checked.values().iterator().next(), momentum, checked);
    }

    private static Map<String, double[]> checkedTensorRates(Map<String, double[]> tensorLearningRates, int steps) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : tensorLearningRates.entrySet()) {
            double[] r = e.getValue();
            if (r == null || r.length != steps) {
                throw new IllegalArgumentException("The learning rates of tensor '" + e.getKey() + "' number " + (r == null ? 0 : r.length)
                        + ", but the schedule has " + steps + " steps.");
            }
            for (int t = 0; t < r.length; t++) {
                if (!(r[t] > 0) || Double.isInfinite(r[t])) {
                    throw new IllegalArgumentException("Learning rate of tensor '" + e.getKey() + "' at step " + t + " must be positive and finite, got "
                            + r[t] + ".");
                }
            }
            copy.put(e.getKey(), r.clone());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Whether some tensor has rates of its own. */
    public boolean perTensor() {
        return !tensorLearningRates.isEmpty();
    }

    /** {@code η_{t,k}} of tensor {@code tensor} at step {@code step} ({@code η_t} for a tensor without rates of its own). */
    public double learningRate(int step, String tensor) {
        double[] r = tensorLearningRates.get(tensor);
        return r == null ? learningRates[step] : r[step];
    }

    /** {@code steps} steps at one learning rate. */
    public static SgdSchedule constant(int steps, double learningRate, double momentum) {
        if (steps < 1) {
            throw new IllegalArgumentException("An SGD schedule needs at least one step, got " + steps + ".");
        }
        double[] rates = new double[steps];
        Arrays.fill(rates, learningRate);
        return new SgdSchedule(rates, momentum);
    }

    /** {@code T}. */
    public int steps() {
        return learningRates.length;
    }

    /** {@code η_t}. */
    public double learningRate(int step) {
        return learningRates[step];
    }

    @Override
    public double[] learningRates() {
        return learningRates.clone();
    }

    @Override
    public String toString() {
        return "SGD(T=" + steps() + ", momentum=" + momentum + (perTensor() ? ", rates per tensor for " + tensorLearningRates.keySet() : "") + ")";
    }
}
