package org.hypergrad4j.bilevel.hyper;

import java.util.Objects;

/**
 * Weight decay added to the training loss: {@code Σ_l Σ_j c(θ_{l,j}) · W_{l,j}²} over the model's decayed
 * weights, with one {@code θ} for all weights ({@link Scope#GLOBAL}), one per layer ({@link Scope#PER_LAYER})
 * or one per weight ({@link Scope#PER_WEIGHT}, Lorraine et al.'s {@code Σ exp(λ_j) w_j²}).
 *
 * @param scope        how many decay coefficients
 * @param initialValue the initial effective coefficient {@code c(θ₀)}, inside the constraint's range
 * @param constraint   {@link Constraint#log()} by default ({@code c = exp(θ)})
 */
public record WeightDecay(Scope scope, double initialValue, Constraint constraint) implements HyperparameterKind {

    /** How many decay coefficients. */
    public enum Scope { GLOBAL, PER_LAYER, PER_WEIGHT }

    public WeightDecay {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(constraint, "constraint");
        constraint.inverse(initialValue, "weight decay");
    }

    /** One {@code exp(θ)} coefficient per weight, starting at {@code exp(initialLogValue)}. */
    public static WeightDecay perWeight(double initialLogValue) {
        return new WeightDecay(Scope.PER_WEIGHT, Math.exp(initialLogValue), Constraint.log());
    }

    /** One coefficient per layer, starting at {@code exp(initialLogValue)}. */
    public static WeightDecay perLayer(double initialLogValue) {
        return new WeightDecay(Scope.PER_LAYER, Math.exp(initialLogValue), Constraint.log());
    }

    /** One global coefficient, starting at {@code exp(initialLogValue)}. */
    public static WeightDecay global(double initialLogValue) {
        return new WeightDecay(Scope.GLOBAL, Math.exp(initialLogValue), Constraint.log());
    }

    @Override
    public String describe() {
        return "weight decay (" + scope.name().toLowerCase().replace('_', '-') + ", " + constraint.kind().name().toLowerCase()
                + ", initial " + initialValue + ")";
    }
}
