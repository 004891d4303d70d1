package org.hypergrad4j.core;

import java.util.Objects;

/**
 * A loss value and its gradients at the current weights {@code w} and hyperparameters {@code λ}.
 *
 * @param loss                   {@code L(w, λ)}
 * @param weightGradient         {@code ∂L/∂w}, shaped like the weights
 * @param hyperparameterGradient {@code ∂L/∂λ}, shaped like the hyperparameters (zeros where L does not depend on λ)
 */
public record LossAndGradient(double loss, ParamVector weightGradient, ParamVector hyperparameterGradient) {
    public LossAndGradient {
        Objects.requireNonNull(weightGradient, "weightGradient");
        Objects.requireNonNull(hyperparameterGradient, "hyperparameterGradient");
    }
}
