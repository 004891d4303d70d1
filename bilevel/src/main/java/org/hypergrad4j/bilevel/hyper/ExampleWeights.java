package org.hypergrad4j.bilevel.hyper;

import java.util.Objects;

/**
 * One weight per training example (data reweighting, hyper-cleaning of noisy labels): the training data
 * term becomes {@code (1/B) Σ_{i∈batch} c(θ_i) · ℓ_i} instead of {@code (1/B) Σ ℓ_i}.
 *
 * @param initialValue the initial weight {@code c(θ₀)} of every example, inside the constraint's range
 * @param constraint   {@code Constraint.range(0, 1)} by default (Franceschi et al.'s hyper-cleaning)
 */
public record ExampleWeights(double initialValue, Constraint constraint) implements HyperparameterKind {

    public ExampleWeights {
        Objects.requireNonNull(constraint, "constraint");
        constraint.inverse(initialValue, "example weights");
    }

    /** Weights in (0, 1), all starting at {@code initialValue}. */
    public static ExampleWeights inUnitInterval(double initialValue) {
        return new ExampleWeights(initialValue, Constraint.range(0, 1));
    }

    @Override
    public String describe() {
        return "per-example weights (" + constraint.kind().name().toLowerCase() + " " + constraint.describeRange()
                + ", initial " + initialValue + ")";
    }
}
