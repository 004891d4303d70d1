package org.hypergrad4j.hypergrad;

import java.util.Map;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.SolveResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Solves the inner problem {@code min_w L_T(w, λ)} accurately, for references and checks: Newton steps
 * {@code w ← w − η H⁻¹ g} with the Newton system solved by CG on exact Hessian-vector products and a
 * backtracking line search on {@code L_T} ({@code η} halved until the loss decreases), until
 * {@code ‖g‖₂ ≤ tolerance}. Suited to smooth, strongly convex inner problems (regularised regression).
 */
public final class NewtonInnerSolver {
    private final double tolerance;
    private final int maxIterations;

    public NewtonInnerSolver(double tolerance, int maxIterations) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("Newton tolerance must be positive, got " + tolerance + ".");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Newton maxIterations must be at least 1, got " + maxIterations + ".");
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /**
     * Moves the view's weights (in place) to the minimiser.
     *
     * @return the final gradient norm {@code ‖∇_w L_T‖₂}
     * @throws IllegalStateException if the tolerance is not reached within {@code maxIterations}
     */
    public double solve(SecondOrderView training, Map<String, INDArray> feed) {
        ParamVector w = training.weights();
        LossAndGradient lg = training.lossAndGradient(feed);
        double gradNorm = lg.weightGradient().norm2();
        for (int it = 0; it < maxIterations && gradNorm > tolerance; it++) {
            ConjugateGradient cg = new ConjugateGradient((int) Math.min(10 * w.length(), 2000), 1e-12);
            SolveResult newton = cg.solve(v -> training.hessianAndMixed(v, feed).hessianVector(), lg.weightGradient(), null);
            ParamVector saved = w.dup();
            double eta = 1.0;
            double loss = lg.loss();
            for (int ls = 0; ls < 40; ls++) {
                w.assignInPlace(saved).axpyInPlace(-eta, newton.solution());
                double trial = training.loss(feed);
                if (trial <= loss) {
                    break;
                }
                eta *= 0.5;
            }
            lg = training.lossAndGradient(feed);
            gradNorm = lg.weightGradient().norm2();
        }
        if (gradNorm > tolerance) {
            throw new IllegalStateException(String.format("Newton's method did not reach ‖∇_w L_T‖ ≤ %.1e in %d iterations (%.3e);"
                    + " the inner problem may not be strongly convex.", tolerance, maxIterations, gradNorm));
        }
        return gradNorm;
    }
}
