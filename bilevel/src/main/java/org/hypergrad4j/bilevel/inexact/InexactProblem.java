package org.hypergrad4j.bilevel.inexact;

import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bilevel problem for the inexact methods: lower level {@code g(w, λ)} ({@code μ}-strongly convex in
 * {@code w}), upper level {@code f(w, λ)}, both full-batch, over shared weight and hyperparameter arrays,
 * with the constants that MAID's error bound needs (see {@link Constants}).
 */
public record InexactProblem(SecondOrderView lower, Map<String, INDArray> lowerFeed, SecondOrderView upper,
                             Map<String, INDArray> upperFeed, Constants constants) {
    public InexactProblem {
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
        Objects.requireNonNull(constants, "constants");
        lowerFeed = Map.copyOf(lowerFeed);
        upperFeed = Map.copyOf(upperFeed);
        lower.weights().checkCompatible(upper.weights());
        lower.hyperparameters().checkCompatible(upper.hyperparameters());
    }

    /**
     * Constants of the a-posteriori bound {@code ω(ε, δ) ≥ ‖z − ∇F(λ)‖} for an inexact hypergradient
     * {@code z} computed at weights {@code ŵ} with {@code ‖ŵ − w*‖ ≤ ε} and a linear solve of residual {@code δ}
     * (derived in {@link InexactHypergradient#errorBound}):
     *
     * @param strongConvexity   {@code μ}: {@code ∇²_w g ⪰ μI}
     * @param smoothness        {@code L_g}: Lipschitz constant of {@code ∇_w g} (also the lower solver's step)
     * @param upperGradientLipschitz {@code L_f}: of {@code ∇_w f} and of {@code ∇_λ f} in {@code w}
     * @param mixedNorm         a bound on {@code ‖∂²g/∂λ∂w‖}
     * @param mixedLipschitz    Lipschitz constant of {@code ∂²g/∂λ∂w} in {@code w} (0 for quadratic {@code g})
     * @param hessianLipschitz  Lipschitz constant of {@code ∇²_w g} in {@code w} (0 for quadratic {@code g})
     * @param upperSmoothness   Lipschitz constant of {@code ∇F} in {@code λ}, for MAID's line search ({@code L_∇F})
     */
    public record Constants(double strongConvexity, double smoothness, double upperGradientLipschitz, double mixedNorm,
                            double mixedLipschitz, double hessianLipschitz, double upperSmoothness) {
        public Constants {
            if (!(strongConvexity > 0) || !(smoothness >= strongConvexity)) {
                throw new IllegalArgumentException("Need 0 < μ ≤ L_g, got μ = " + strongConvexity + ", L_g = " + smoothness + ".");
            }
            for (double c : new double[] {upperGradientLipschitz, mixedNorm, mixedLipschitz, hessianLipschitz, upperSmoothness}) {
                if (!(c >= 0) || Double.isInfinite(c)) {
                    throw new IllegalArgumentException("Lipschitz constants and norms must be finite and non-negative, got " + c + ".");
                }
            }
        }
    }
}
