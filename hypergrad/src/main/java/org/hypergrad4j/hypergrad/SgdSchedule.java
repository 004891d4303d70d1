package org.hypergrad4j.hypergrad;

import java.util.Arrays;

/**
 * The inner optimiser unrolled by the unrolled methods: {@code T} steps of SGD with momentum in the
 * project's one convention, that of {@code bilevel.optim.Sgd} (and PyTorch):
 * {@code m_{t+1} = μ m_t + g_t}, {@code w_{t+1} = w_t − η_t m_{t+1}}, with {@code g_t = ∇_w L_T(w_t, λ)} on step
 * {@code t}'s feed and {@code m_0 = 0}, the same operations in the same order as {@code Sgd(η, μ)}, so the
 * unrolled methods differentiate exactly the optimiser that trains. {@code μ = 0} is plain SGD. (Maclaurin et
 * al. 2015 write {@code v ← γv − (1−γ)g, w ← w + αv}: the same steps with {@code γ = μ},
 * {@code α = η/(1−μ)}.)
 *
 * @param learningRates {@code η_t} for {@code t = 0..T−1}, each positive and finite
 * @param momentum      {@code μ ∈ [0, 1)}
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
        return "SGD(T=" + steps() + ", momentum=" + momentum + ")";
    }
}
