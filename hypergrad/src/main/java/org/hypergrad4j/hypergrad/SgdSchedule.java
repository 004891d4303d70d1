package org.hypergrad4j.hypergrad;

import java.util.Arrays;

/**
 * The inner optimiser unrolled by the unrolled methods: {@code T} steps of SGD with momentum in the form
 * of Maclaurin et al. (2015): {@code v_{t+1} = γ v_t − (1 − γ) g_t}, {@code w_{t+1} = w_t + α_t v_{t+1}},
 * with {@code g_t = ∇_w L_T(w_t, λ)} on step {@code t}'s feed and {@code v_0 = 0}. {@code γ = 0} is plain
 * SGD ({@code w_{t+1} = w_t − α_t g_t}).
 *
 * @param learningRates {@code α_t} for {@code t = 0..T−1}, each positive and finite
 * @param momentum      {@code γ ∈ [0, 1)}
 */
public record SgdSchedule(double[] learningRates, double momentum) {
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

    /** {@code α_t}. */
    public double learningRate(int step) {
        return learningRates[step];
    }

    @Override
    public double[] learningRates() {
        return learningRates.clone();
    }

    @Override
    public String toString() {
        return "SGD(T=" + steps() + ", momentum=" + momentum + ")";
    }
}
