package org.hypergrad4j.bilevel.hyper;

/**
 * One dropout rate per hidden layer, made differentiable by a relaxed (concrete) Bernoulli keep-mask
 * (Maddison et al. 2017; Gal et al. 2017): with keep probability {@code q = 1 − p} and noise
 * {@code u ~ U(0, 1)} fed per step, {@code z = σ((log q − log(1 − q) + log u − log(1 − u)) / τ)} and the
 * hidden activations become {@code h ⊙ z / q} during training; validation and test use no dropout.
 * The rate is {@code p = c(θ)} with {@code c} mapping into {@code (0, maxRate)}.
 *
 * @param initialRate initial rate of every layer, in (0, maxRate)
 * @param maxRate     the largest rate, in (0, 1)
 * @param temperature τ of the relaxation, positive (smaller is closer to Bernoulli, noisier gradients)
 */
public record DropoutRates(double initialRate, double maxRate, double temperature) implements HyperparameterKind {
    public DropoutRates {
        if (!(maxRate > 0 && maxRate < 1)) {
            throw new IllegalArgumentException("The largest dropout rate must lie in (0, 1), got " + maxRate + ".");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("The concrete temperature must be positive and finite, got " + temperature + ".");
        }
        Constraint.range(0, maxRate).inverse(initialRate, "dropout rate");
    }

    /** Rates in (0, 0.9) with temperature 0.1. */
    public static DropoutRates startingAt(double rate) {
        return new DropoutRates(rate, 0.9, 0.1);
    }

    /** The rate's constraint: {@code Constraint.range(0, maxRate)}. */
    public Constraint constraint() {
        return Constraint.range(0, maxRate);
    }

    @Override
    public String describe() {
        return "dropout rates (concrete relaxation, τ = " + temperature + ", initial " + initialRate + ")";
    }
}
