package org.hypergrad4j.hypergrad;

import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.ParamVector;

/**
 * The result of differentiating through {@code T} unrolled training steps: the hypergradient with
 * respect to the graph's hyperparameters, and with respect to the optimiser's own hyperparameters.
 *
 * @param result                  hypergradient of {@code L_V(w_T, λ)} with respect to {@code λ}, with diagnostics
 * @param learningRateGradient    {@code ∂L_V/∂η_t} per step (zeros before a truncation window); forward mode
 *                                differentiates only the global rate and puts {@code ∂L_V/∂η} at index 0
 * @param momentumGradient        {@code ∂L_V/∂μ} (through the differentiated steps)
 * @param initialWeightsGradient  {@code ∂L_V/∂w_0}, or {@code null} when truncated (then it is not computed)
 * @param storedBytes             bytes of trajectory state held at once for the reverse pass (0 for forward mode)
 * @param tensorLearningRateGradient per tensor with rates of its own ({@link SgdSchedule#tensorLearningRates()}),
 *                                {@code ∂L_V/∂η_{t,k}} per step; empty otherwise (reverse mode only)
 */
public record UnrolledHypergradient(HypergradientResult result, double[] learningRateGradient, double momentumGradient,
                                    ParamVector initialWeightsGradient, long storedBytes, Map<String, double[]> tensorLearningRateGradient) {
    /** Without per-tensor rates. */
    public UnrolledHypergradient(HypergradientResult result, double[] learningRateGradient, double momentumGradient,
                                 ParamVector initialWeightsGradient, long storedBytes) {
        this(result, learningRateGradient, momentumGradient, initialWeightsGradient, storedBytes, Map.of());
    }

    public UnrolledHypergradient {
        Objects.requireNonNull(result, "result");
        learningRateGradient = learningRateGradient.clone();
        Map<String, double[]> copy = new java.util.LinkedHashMap<>();
        tensorLearningRateGradient.forEach((k, v) -> copy.put(k, v.clone()));
        tensorLearningRateGradient = java.util.Collections.unmodifiableMap(copy);
    }

    /** {@code ∂L_V/∂η} for one global learning rate {@code η_t = η}: {@code Σ_t ∂L_V/∂η_t}. */
    public double globalLearningRateGradient() {
        double s = 0;
        for (double d : learningRateGradient) {
            s += d;
        }
        return s;
    }

    /**
     * {@code ∂L_V/∂s} for initial weights scaled as {@code w_0 = s·w̃_0}, at {@code s = 1}: {@code ⟨∂L_V/∂w_0, w_0⟩}.
     *
     * @param initialWeights the {@code w_0} the run started from
     */
    public double initialScaleGradient(ParamVector initialWeights) {
        if (initialWeightsGradient == null) {
            throw new IllegalStateException("The initial weights' gradient is not computed by a truncated reverse pass.");
        }
        return initialWeightsGradient.dot(initialWeights);
    }

    @Override
    public double[] learningRateGradient() {
        return learningRateGradient.clone();
    }
}
