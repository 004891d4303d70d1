package org.hypergrad4j.repro.inexact;

import org.hypergrad4j.data.Split;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.hypergrad4j.bilevel.inexact.InexactHypergradient;
import org.hypergrad4j.bilevel.inexact.InexactProblem;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.data.BundledImages;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.data.Standardizer;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-written derivatives of the two MAID problems against float64 central differences (step 1e-5):
 * gradients in w and λ, Hessian-vector products and both mixed products, at random points and directions;
 * the constants ({@code μ ≤ vᵀHv/‖v‖² ≤ L_g}, {@code ‖(∂²g/∂λ∂w)v‖ ≤ ‖B‖‖v‖}); and MAID's a-posteriori bound
 * {@code ‖z − ∇F‖ ≤ ω(ε, δ)} against the hypergradient from a tight solve.
 */
class InexactProblemsDerivativesTest {
    private static final double STEP = 1e-5;
    private static final Map<String, INDArray> NO_FEED = Map.of();

    private static PerWeightDecayLogisticBilevel smallLogistic() {
        Split split = Splits.stratified(BundledDatasets.digits(), 0.1, 0.1, 0.1, 3);
        Standardizer st = Standardizer.fit(split.train());
        return new PerWeightDecayLogisticBilevel(st.apply(split.train()), st.apply(split.validation()), -2.0);
    }

    private static TotalVariationDenoisingBilevel smallDenoising(Random rnd) {
        double[][] image = BundledImages.downsample(BundledImages.china(), 8);
        return new TotalVariationDenoisingBilevel(TotalVariationDenoisingBilevel.Crops.sample(image, 2, 8, 0.1, rnd),
                new double[] {-3.0, -3.0});
    }

    private static ParamVector gaussian(ParamVector like, Random rnd) {
        double[] values = new double[(int) like.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextGaussian();
        }
        return like.withValues(values);
    }

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-12, Math.max(Math.abs(a), Math.abs(b)));
    }

    private static double relative(ParamVector a, ParamVector b) {
        return a.sub(b).norm2() / Math.max(1e-12, Math.max(a.norm2(), b.norm2()));
    }

    /** Checks every product of {@code view} at its current point. */
    private static void checkDerivatives(String name, SecondOrderView view, Random rnd) {
        ParamVector w = view.weights();
        ParamVector lambda = view.hyperparameters();
        ParamVector w0 = w.dup();
        ParamVector lambda0 = lambda.dup();
        ParamVector v = gaussian(w, rnd);
        ParamVector u = gaussian(lambda, rnd);
        var at = view.lossAndGradient(NO_FEED);
        var curvature = view.hessianAndMixed(v, NO_FEED);
        ParamVector mixedTranspose = view.mixedTransposeProduct(u, NO_FEED);

        w.assignInPlace(w0).axpyInPlace(STEP, v);
        var plusW = view.lossAndGradient(NO_FEED);
        w.assignInPlace(w0).axpyInPlace(-STEP, v);
        var minusW = view.lossAndGradient(NO_FEED);
        w.assignInPlace(w0);
        lambda.assignInPlace(lambda0).axpyInPlace(STEP, u);
        var plusL = view.lossAndGradient(NO_FEED);
        lambda.assignInPlace(lambda0).axpyInPlace(-STEP, u);
        var minusL = view.lossAndGradient(NO_FEED);
        lambda.assignInPlace(lambda0);

        double dw = (plusW.loss() - minusW.loss()) / (2 * STEP);
        double dl = (plusL.loss() - minusL.loss()) / (2 * STEP);
        ParamVector hv = plusW.weightGradient().sub(minusW.weightGradient()).scale(1 / (2 * STEP));
        ParamVector mixedU = plusL.weightGradient().sub(minusL.weightGradient()).scale(1 / (2 * STEP));
        double mixedUV = mixedU.dot(v);

        assertTrue(relative(dw, at.weightGradient().dot(v)) < 1e-6, name + " ∇_w: " + dw + " vs " + at.weightGradient().dot(v));
        assertTrue(relative(dl, at.hyperparameterGradient().dot(u)) < 1e-6 || Math.abs(dl) + at.hyperparameterGradient().norm2() == 0,
                name + " ∇_λ: " + dl + " vs " + at.hyperparameterGradient().dot(u));
        assertTrue(relative(hv, curvature.hessianVector()) < 1e-6, name + " Hv: relative error " + relative(hv, curvature.hessianVector()));
        assertTrue(mixedU.norm2() + mixedTranspose.norm2() == 0 || relative(mixedU, mixedTranspose) < 1e-6,
                name + " (∂²L/∂w∂λ)u: relative error " + relative(mixedU, mixedTranspose));
        double fromMixed = curvature.mixedVector().dot(u);
        assertTrue(Math.abs(mixedUV) + Math.abs(fromMixed) == 0 || relative(mixedUV, fromMixed) < 1e-6,
                name + " uᵀ(∂²L/∂λ∂w)v: " + mixedUV + " vs " + fromMixed);
    }

    /** {@code μ ≤ vᵀHv/‖v‖² ≤ L_g} and {@code ‖Bv‖ ≤ ‖B‖ ‖v‖} along random directions. */
    private static void checkConstants(String name, InexactProblem problem, Random rnd) {
        InexactProblem.Constants c = problem.constants();
        for (int k = 0; k < 5; k++) {
            ParamVector v = gaussian(problem.lower().weights(), rnd);
            var products = problem.lower().hessianAndMixed(v, NO_FEED);
            double rayleigh = products.hessianVector().dot(v) / v.dot(v);
            assertTrue(rayleigh >= c.strongConvexity() * (1 - 1e-12) && rayleigh <= c.smoothness(),
                    name + ": vᵀHv/‖v‖² = " + rayleigh + " outside [μ, L_g] = [" + c.strongConvexity() + ", " + c.smoothness() + "]");
            assertTrue(products.mixedVector().norm2() <= c.mixedNorm() * v.norm2() * (1 + 1e-12),
                    name + ": ‖Bv‖/‖v‖ = " + products.mixedVector().norm2() / v.norm2() + " > ‖B‖ = " + c.mixedNorm());
        }
    }

    /**
     * MAID's bound: from the current (inaccurate) weights, the inexact hypergradient at {@code (ε, δ)} is within
     * {@code ω(ε, δ)} of the hypergradient computed from a lower-level solve to 1e-11 and CG to 1e-13 relative.
     */
    private static void checkErrorBound(String name, InexactProblem problem) {
        ParamVector start = problem.lower().weights().dup();
        new LbfgsSolver(10).solve(problem.lower(), NO_FEED, 1e-11, 20_000);
        var upper = problem.upper().lossAndGradient(NO_FEED);
        var q = new ConjugateGradient(10_000, 1e-13).solve(
                v -> problem.lower().hessianAndMixed(v, NO_FEED).hessianVector(), upper.weightGradient(), null);
        ParamVector exact = upper.hyperparameterGradient().sub(problem.lower().hessianAndMixed(q.solution(), NO_FEED).mixedVector());
        for (double accuracy : new double[] {1e-1, 1e-3}) {
            problem.lower().weights().assignInPlace(start);
            var estimate = new InexactHypergradient(problem, new LbfgsSolver(10), 20_000).compute(accuracy, accuracy);
            double error = estimate.z().sub(exact).norm2();
            assertTrue(error <= estimate.bound(), name + " at ε = δ = " + accuracy + ": error " + error + " > bound " + estimate.bound());
            assertTrue(estimate.bound() > 0, name + ": the bound must be positive");
        }
        problem.lower().weights().assignInPlace(start);
    }

    @Test
    void logisticRegressionDerivativesMatchCentralDifferences() {
        Random rnd = new Random(11);
        PerWeightDecayLogisticBilevel p = smallLogistic();
        // A seeded point away from the start: weights ~ N(0, 0.3²), θ uniform in [−3, −1].
        ParamVector weights = p.problem().lower().weights();
        weights.assignInPlace(gaussian(weights, rnd).scale(0.3));
        ParamVector theta = p.problem().lower().hyperparameters();
        double[] decays = new double[(int) theta.length()];
        for (int i = 0; i < decays.length; i++) {
            decays[i] = -3 + 2 * rnd.nextDouble();
        }
        theta.assignInPlace(theta.withValues(decays));
        checkDerivatives("logistic lower", p.problem().lower(), rnd);
        checkDerivatives("logistic upper", p.problem().upper(), rnd);
        checkConstants("logistic", p.problem(), rnd);
        checkErrorBound("logistic", p.problem());
    }

    @Test
    void totalVariationDerivativesMatchCentralDifferences() {
        Random rnd = new Random(12);
        TotalVariationDenoisingBilevel p = smallDenoising(rnd);
        checkDerivatives("TV lower", p.problem().lower(), rnd);
        checkDerivatives("TV upper", p.problem().upper(), rnd);
        checkConstants("TV", p.problem(), rnd);
        checkErrorBound("TV", p.problem());
        // A flat image region (t = 0) is where the smoothing matters most: check there too.
        p.images().assign(0.5);
        checkDerivatives("TV lower at a flat image", p.problem().lower(), rnd);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        Dataset digits = BundledDatasets.digits();
        var e = assertThrows(IllegalArgumentException.class,
                () -> new PerWeightDecayLogisticBilevel(digits, BundledDatasets.diabetes(), 0.0));
        assertTrue(e.getMessage().contains("classification"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TotalVariationDenoisingBilevel(smallDenoisingCrops(), new double[] {0.0}));
        assertTrue(e.getMessage().contains("θ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TotalVariationDenoisingBilevel.Crops(Nd4j.zeros(DataType.DOUBLE, 2, 4, 4), Nd4j.zeros(DataType.DOUBLE, 2, 4, 5)));
        assertTrue(e.getMessage().contains("noisy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new InexactProblem.Constants(1.0, 2.0, -1.0, 0, 0, 0, Double.NaN));
        assertTrue(e.getMessage().contains("L_f"), e.getMessage());
    }

    private static TotalVariationDenoisingBilevel.Crops smallDenoisingCrops() {
        return TotalVariationDenoisingBilevel.Crops.sample(new double[8][8], 1, 4, 0.1, new Random(1));
    }
}
