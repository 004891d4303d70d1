package org.hypergrad4j.repro.hypernets;

import java.util.Objects;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.SolveResult;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact implicit (IFT) hypergradient of the hypernetwork experiments' per-weight decay problem, in float64, the
 * reference a hypernetwork's hypergradient is compared with. For the classifier {@code w*(λ)} trained to convergence
 * ({@link SoftmaxRegressionFit}) at log decays {@code λ} (one per weight of {@code W}),
 * <pre>
 * dL_V(w*(λ))/dλ = −(∂²L_T/∂w∂λ)ᵀ H⁻¹ ∇_w L_V,   H = ∇²_w L_T(w*, λ)
 * (∂²L_T/∂w∂λ)_{j,j} = 2 exp(λ_j) W*_j           (diagonal: λ_j enters L_T only through exp(λ_j) W_j²)
 * so  (dL_V/dλ)_j = −2 exp(λ_j) W*_j q_j,  H q = ∇_w L_V
 * </pre>
 * solved by the project's {@link ConjugateGradient} on exact Hessian-vector products
 * ({@link SoftmaxRegressionFit#hessianVector}). {@code H} is singular only along the undecayed biases' common shift
 * ({@code b + c·1} leaves the softmax unchanged); {@code ∇_b L_V} sums to zero over the classes, so the system is
 * consistent and CG from zero stays orthogonal to that direction.
 */
public final class ExactPerWeightHypergradient {
    private final SoftmaxRegressionFit fitter;
    private final Dataset validation;
    private final double fitTolerance;
    private final int maxFitIterations;
    private final double solveTolerance;

    /**
     * @param fitTolerance   L-BFGS stops at {@code ‖∇_w L_T‖ ≤ fitTolerance}
     * @param solveTolerance CG's relative residual target for {@code H q = ∇_w L_V}
     * @throws IllegalArgumentException if the sets disagree in features or classes, or a tolerance is not positive
     */
    public ExactPerWeightHypergradient(Dataset training, Dataset validation, double fitTolerance, int maxFitIterations, double solveTolerance) {
        Objects.requireNonNull(training, "training");
        this.validation = Objects.requireNonNull(validation, "validation");
        if (training.numFeatures() != validation.numFeatures() || training.numClasses() != validation.numClasses()) {
            throw new IllegalArgumentException("Training and validation sets disagree: " + training.numFeatures() + "/" + training.numClasses()
                    + " against " + validation.numFeatures() + "/" + validation.numClasses() + " features/classes.");
        }
        if (!(fitTolerance > 0) || !(solveTolerance > 0) || maxFitIterations < 1) {
            throw new IllegalArgumentException("Tolerances must be positive and the fit needs at least 1 iteration, got fit tolerance "
                    + fitTolerance + ", solve tolerance " + solveTolerance + ", " + maxFitIterations + " iterations.");
        }
        this.fitter = new SoftmaxRegressionFit(training);
        this.fitTolerance = fitTolerance;
        this.maxFitIterations = maxFitIterations;
        this.solveTolerance = solveTolerance;
    }

    /**
     * The hypergradient at {@code λ}.
     *
     * @param hypergradient      {@code dL_V(w*(λ))/dλ}, one entry per weight of {@code W}
     * @param validationLoss     {@code L_V(w*(λ))}
     * @param trainingObjective  {@code L_T(w*(λ), λ)}
     * @param weights            {@code w*(λ)} (W then b)
     * @param fitConverged       whether L-BFGS reached the gradient tolerance
     * @param solveIterations    CG iterations
     * @param solveConverged     whether CG reached its residual target
     */
    public record Result(double[] hypergradient, double validationLoss, double trainingObjective, double[] weights, boolean fitConverged,
                         int solveIterations, boolean solveConverged) {
    }

    /**
     * @param lambdas   log decays, one per weight of {@code W}
     * @param warmStart the weights to start L-BFGS from (e.g. the previous point's {@link Result#weights()}), or null
     */
    public Result at(double[] lambdas, double[] warmStart) {
        SoftmaxRegressionFit.Fit fit = fitter.fit(lambdas, warmStart, fitTolerance, maxFitIterations);
        double[] w = fit.weights();
        double[] gv = SoftmaxRegressionFit.crossEntropyGradient(w, validation);
        ParamVector rhs = ParamVector.of("w", Nd4j.createFromArray(gv));
        int n = gv.length;
        SolveResult solve = new ConjugateGradient(4 * n, solveTolerance).solve(
                v -> ParamVector.of("w", Nd4j.createFromArray(fitter.hessianVector(w, lambdas, v.get("w").toDoubleVector()))), rhs, null);
        double[] q = solve.solution().get("w").toDoubleVector();
        double[] g = new double[lambdas.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = -2 * Math.exp(lambdas[j]) * w[j] * q[j];
        }
        return new Result(g, SoftmaxRegressionFit.crossEntropy(w, validation), fit.objective(), w, fit.converged(), solve.iterations(),
                solve.converged());
    }

    /** {@code cos(a, b) = a·b / (‖a‖ ‖b‖)}; NaN if either is zero. */
    public static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    /** {@code ‖a‖ / ‖b‖}. */
    public static double normRatio(double[] a, double[] b) {
        return Math.sqrt(dot(a, a) / dot(b, b));
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors of different lengths: " + a.length + " and " + b.length + ".");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
