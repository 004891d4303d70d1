package org.hypergrad4j.bilevel.inexact;

import java.util.Map;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Minimises a smooth, strongly convex lower-level loss {@code g(w, λ)} over the weights (in place, warm
 * started from the current weights) until {@code ‖∇_w g‖ ≤ gradientTolerance}.
 */
public interface LowerLevelSolver {

    /**
     * @return iterations used (each is one gradient evaluation, plus line-search evaluations counted in)
     */
    int solve(SecondOrderView lower, Map<String, INDArray> feed, double gradientTolerance, int maxIterations);

    String describe();
}
