package org.hypergrad4j.core;

import java.util.Objects;

/**
 * The two second-derivative products obtained from one reverse pass over {@code s = ⟨∂L/∂w, v⟩}.
 *
 * @param hessianVector {@code H v = (∂²L/∂w∂w) v}, shaped like the weights
 * @param mixedVector   {@code (∂²L/∂λ∂w) v}, shaped like the hyperparameters: entry {@code j} is
 *                      {@code Σ_i ∂²L/∂λ_j∂w_i · v_i}
 */
public record CurvatureProducts(ParamVector hessianVector, ParamVector mixedVector) {
    public CurvatureProducts {
        Objects.requireNonNull(hessianVector, "hessianVector");
        Objects.requireNonNull(mixedVector, "mixedVector");
    }
}
