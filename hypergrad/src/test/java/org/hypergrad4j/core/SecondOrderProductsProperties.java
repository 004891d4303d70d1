package org.hypergrad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hypergrad4j.testing.Numerics;
import org.hypergrad4j.testing.TestModels;
import org.hypergrad4j.testing.TestModels.Activation;
import org.hypergrad4j.testing.TestModels.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact products of {@link ExactSecondOrderView} against float64 central differences of gradients,
 * on random MLPs and a small CNN with per-weight {@code exp(λ)} decay.
 */
class SecondOrderProductsProperties {
    /** Central differences of exact gradients along a random direction: truncation O(h²) ≈ 1e-10. */
    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-6;

    @Property(tries = 12, seed = "11")
    void mlpProductsMatchCentralDifferences(@ForAll @IntRange(min = 1, max = 3) int layers,
                                            @ForAll boolean relu,
                                            @ForAll @IntRange(min = 1, max = 6) int batch,
                                            @ForAll long seed) {
        Random rnd = new Random(seed);
        int[] hidden = new int[layers];
        for (int i = 0; i < layers; i++) {
            hidden[i] = 2 + rnd.nextInt(5);
        }
        Model m = TestModels.mlp(seed, DataType.DOUBLE, batch, 2 + rnd.nextInt(4), hidden, 2 + rnd.nextInt(3),
                relu ? Activation.RELU : Activation.TANH);
        checkProducts(m, rnd);
    }

    @Property(tries = 3, seed = "12")
    void cnnProductsMatchCentralDifferences(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll long seed) {
        Model m = TestModels.cnn(seed, DataType.DOUBLE, batch, 2, 8, 3, 2, 3);
        checkProducts(m, new Random(seed));
    }

    @Property(tries = 4, seed = "13")
    void appendedGradientEqualsSameDiffGradient(@ForAll @IntRange(min = 1, max = 3) int layers, @ForAll long seed) {
        Random rnd = new Random(seed);
        int[] hidden = new int[layers];
        java.util.Arrays.fill(hidden, 4);
        Model m = TestModels.mlp(seed, DataType.DOUBLE, 5, 3, hidden, 3, Activation.TANH);
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        LossAndGradient lg = view.lossAndGradient(m.feed());
        m.sd().setLossVariables(m.loss());
        java.util.List<String> all = new java.util.ArrayList<>(m.weights());
        all.addAll(m.hyperparameters());
        Map<String, INDArray> reference = m.sd().calculateGradients(m.feed(), all);
        for (String w : m.weights()) {
            assertTrue(Numerics.relativeError(Numerics.flat(lg.weightGradient().get(w)), Numerics.flat(reference.get(w)), 1e-12) < 1e-12, w);
        }
        for (String h : m.hyperparameters()) {
            assertTrue(Numerics.relativeError(Numerics.flat(lg.hyperparameterGradient().get(h)), Numerics.flat(reference.get(h)), 1e-12) < 1e-12, h);
        }
    }

    private static void checkProducts(Model m, Random rnd) {
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        Map<String, INDArray> feed = m.feed();
        ParamVector w = view.weights();
        ParamVector lam = view.hyperparameters();
        ParamVector v = randomLike(w, rnd);
        ParamVector u = randomLike(lam, rnd);

        CurvatureProducts p = view.hessianAndMixed(v, feed);
        double[] hvFd = Numerics.directional(() -> view.lossAndGradient(feed).weightGradient().toDoubleArray(), w, v, H);
        double[] mixedFd = Numerics.directional(() -> view.lossAndGradient(feed).hyperparameterGradient().toDoubleArray(), w, v, H);
        double[] mixedTFd = Numerics.directional(() -> view.lossAndGradient(feed).weightGradient().toDoubleArray(), lam, u, H);
        double[] mixedT = view.mixedTransposeProduct(u, feed).toDoubleArray();

        assertTrue(Numerics.relativeError(p.hessianVector().toDoubleArray(), hvFd, 1e-8) < TOLERANCE,
                () -> "H v relative error " + Numerics.relativeError(p.hessianVector().toDoubleArray(), hvFd, 1e-8));
        assertTrue(Numerics.relativeError(p.mixedVector().toDoubleArray(), mixedFd, 1e-8) < TOLERANCE,
                () -> "mixed relative error " + Numerics.relativeError(p.mixedVector().toDoubleArray(), mixedFd, 1e-8));
        assertTrue(Numerics.relativeError(mixedT, mixedTFd, 1e-8) < TOLERANCE,
                () -> "mixed-transpose relative error " + Numerics.relativeError(mixedT, mixedTFd, 1e-8));
        // ⟨u, M v⟩ = ⟨Mᵀ u, v⟩: the two mixed directions are transposes of each other.
        assertEquals(u.dot(p.mixedVector()), view.mixedTransposeProduct(u, feed).dot(v), 1e-9 * (1 + Math.abs(u.dot(p.mixedVector()))));
    }

    private static ParamVector randomLike(ParamVector template, Random rnd) {
        double[] d = new double[(int) template.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextGaussian();
        }
        return template.withValues(d);
    }
}
