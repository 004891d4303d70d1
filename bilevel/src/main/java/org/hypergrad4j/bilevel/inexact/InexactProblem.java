package org.hypergrad4j.bilevel.inexact;

import org.hypergrad4j.hypergrad.HypergradientProblem;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bilevel problem for the inexact methods: the core's {@link HypergradientProblem} (lower level
 * {@code g(w, λ)} as its training view, {@code μ}-strongly convex in {@code w}; upper level {@code f(w, λ)} as its
 * validation view; shared weight and hyperparameter arrays) with the constants that MAID's error bound needs
 * (see {@link Constants}).
 *
 * <p>The constants may depend on the current point: {@link #constants()} asks the {@link ConstantsEstimate}
 * at the current weights and hyperparameters (for example {@code μ = min exp(λ)} for a per-weight
 * {@code exp(λ)} decay, or the exact norm {@code ‖∂²g/∂λ∂w(ŵ)‖} at the current weights). Problems with fixed
 * constants use the constructor that takes a {@link Constants}.
 */
public record InexactProblem(HypergradientProblem problem, ConstantsEstimate constantsEstimate) {
    public InexactProblem {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(constantsEstimate, "constantsEstimate");
    }

    /** Full batch: the lower level on {@code lowerFeed}, the upper on {@code upperFeed}, constants by point. */
    public InexactProblem(SecondOrderView lower, Map<String, INDArray> lowerFeed, SecondOrderView upper,
                          Map<String, INDArray> upperFeed, ConstantsEstimate constantsEstimate) {
        this(HypergradientProblem.fullBatch(lower, lowerFeed, upper, upperFeed), constantsEstimate);
    }

    /** A full-batch problem whose constants do not depend on the point. */
    public InexactProblem(SecondOrderView lower, Map<String, INDArray> lowerFeed, SecondOrderView upper,
                          Map<String, INDArray> upperFeed, Constants constants) {
        this(lower, lowerFeed, upper, upperFeed, fixed(constants));
    }

    private static ConstantsEstimate fixed(Constants constants) {
        Objects.requireNonNull(constants, "constants");
        return (weights, hyperparameters) -> constants;
    }

    /** The lower level {@code g}: the hypergradient problem's training view. */
    public SecondOrderView lower() {
        return problem.training();
    }

    /** The lower level's feed (of its Hessian products). */
    public Map<String, INDArray> lowerFeed() {
        return problem.hessianFeed().get();
    }

    /** The upper level {@code f}: the hypergradient problem's validation view. */
    public SecondOrderView upper() {
        return problem.validation();
    }

    /** The upper level's feed. */
    public Map<String, INDArray> upperFeed() {
        return problem.validationFeed().get();
    }

    /** The constants at the current weights and hyperparameters (the live arrays of {@link #lower()}). */
    public Constants constants() {
        return Objects.requireNonNull(constantsEstimate.at(lower().weights(), lower().hyperparameters()),
                "the constants estimate returned null");
    }

    /**
     * The constants of {@link Constants} as a function of the point {@code (w, λ)}. Every constant that is a
     * Lipschitz constant must hold on a region that contains the current weights and the lower-level solution
     * {@code w*(λ)} (and the segment between them); {@code mixedNorm} must bound {@code ‖∂²g/∂λ∂w‖} at {@code w}.
     */
    @FunctionalInterface
    public interface ConstantsEstimate {
        /**
         * @param weights         the current weights (live; do not modify)
         * @param hyperparameters the current hyperparameters (live; do not modify)
         */
        Constants at(ParamVector weights, ParamVector hyperparameters);
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
     * @param upperSmoothness   Lipschitz constant of {@code ∇F} in {@code λ} ({@code L_∇F}); informational ({@link Maid}'s
     *                          backtracking does not use it); {@code NaN} when the problem does not estimate it
     */
    public record Constants(double strongConvexity, double smoothness, double upperGradientLipschitz, double mixedNorm,
                            double mixedLipschitz, double hessianLipschitz, double upperSmoothness) {
        public Constants {
            if (!(strongConvexity > 0) || !(smoothness >= strongConvexity)) {
                throw new IllegalArgumentException("Need 0 < μ ≤ L_g, got μ = " + strongConvexity + ", L_g = " + smoothness + ".");
            }
            if (Double.isInfinite(smoothness)) {
                throw new IllegalArgumentException("L_g must be finite, got " + smoothness + ".");
            }
            String[] names = {"L_f", "‖∂²g/∂λ∂w‖", "L_B", "L_H"};
            double[] values = {upperGradientLipschitz, mixedNorm, mixedLipschitz, hessianLipschitz};
            for (int i = 0; i < names.length; i++) {
                if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
                    throw new IllegalArgumentException("Lipschitz constants and norms must be finite and non-negative, got "
                            + names[i] + " = " + values[i] + ".");
                }
            }
            if (!Double.isNaN(upperSmoothness) && (!(upperSmoothness >= 0) || Double.isInfinite(upperSmoothness))) {
                throw new IllegalArgumentException("L_∇F must be finite and non-negative (or NaN when not estimated), got "
                        + upperSmoothness + ".");
            }
        }
    }
}
