package org.hypergrad4j.bilevel.inexact;

import java.util.Map;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient descent with step {@code 1/L} for an {@code L}-smooth, {@code μ}-strongly convex lower level,
 * optionally accelerated (FISTA for strongly convex functions: momentum {@code (√κ − 1)/(√κ + 1)},
 * {@code κ = L/μ}). Each iteration costs one gradient.
 */
public final class GradientDescentSolver implements LowerLevelSolver {
    private final double smoothness;
    private final double strongConvexity;
    private final boolean accelerated;

    /**
     * @param smoothness      {@code L}, the Lipschitz constant of {@code ∇_w g}
     * @param strongConvexity {@code μ}, at most {@code L}
     */
    public GradientDescentSolver(double smoothness, double strongConvexity, boolean accelerated) {
        if (!(smoothness > 0) || !(strongConvexity > 0) || strongConvexity > smoothness) {
            throw new IllegalArgumentException("Need 0 < μ ≤ L, got μ = " + strongConvexity + ", L = " + smoothness + ".");
        }
        this.smoothness = smoothness;
        this.strongConvexity = strongConvexity;
        this.accelerated = accelerated;
    }

    @Override
    public int solve(SecondOrderView lower, Map<String, INDArray> feed, double gradientTolerance, int maxIterations) {
        ParamVector w = lower.weights();
        double step = 1.0 / smoothness;
        double kappa = smoothness / strongConvexity;
        double momentum = accelerated ? (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1) : 0;
        ParamVector previous = w.dup();
        for (int it = 0; it < maxIterations; it++) {
            LossAndGradient lg = lower.lossAndGradient(feed);
            if (lg.weightGradient().norm2() <= gradientTolerance) {
                return it + 1;
            }
            if (accelerated) {
                // y = w + m (w − w_prev) is where the gradient is taken; here w holds y.
                ParamVector next = w.dup().axpyInPlace(-step, lg.weightGradient());
                ParamVector extrapolated = next.add(next.sub(previous).scale(momentum));
                previous = next;
                w.assignInPlace(extrapolated);
            } else {
                w.axpyInPlace(-step, lg.weightGradient());
            }
        }
        return maxIterations;
    }

    @Override
    public String describe() {
        return (accelerated ? "FISTA" : "gradient descent") + "(L=" + smoothness + ", μ=" + strongConvexity + ")";
    }
}
