package org.hypergrad4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.hypergrad4j.autodiff.OpRuleProperties;
import org.hypergrad4j.autodiff.OpRuleProperties.OpCase;
import org.hypergrad4j.core.CurvatureProducts;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.testing.Numerics;
import org.hypergrad4j.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine against SameDiff's {@code output()} in float64: every value an exact view asks for (loss,
 * first-order gradients, {@code H v}, both mixed products) on the graphs of every built-in rule and on
 * MLP and CNN losses, to 1e-12 relative (norm-wise), including after the point moves (cached values
 * must be invalidated by a changed leaf, and only by one).
 */
class GraphEngineEqualityTest {
    private static final double TOLERANCE = 1e-12;

    @Provide
    Arbitrary<OpCase> opCases() {
        return Arbitraries.of(OpRuleProperties.cases());
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyRuleGraphMatchesSameDiff(@ForAll("opCases") OpCase opCase, @ForAll @IntRange(min = 0, max = 1) int draw) {
        Random r = new Random(17L * opCase.name().hashCode() + draw);
        SameDiff sd = SameDiff.create();
        List<String> inputs = OpRuleProperties.buildCase(sd, opCase, r);
        // With two or more inputs the last is a hyperparameter, so the mixed products are compared too.
        List<String> weights = inputs.size() > 1 ? inputs.subList(0, inputs.size() - 1) : inputs;
        List<String> hypers = inputs.size() > 1 ? inputs.subList(inputs.size() - 1, inputs.size()) : List.of();
        ExactSecondOrderView view = ExactSecondOrderView.build(sd, "L", weights, hypers);
        compare(opCase.name(), view, Map.of(), r);
        // Move the point and compare again: the cache must see the change.
        view.weights().axpyInPlace(0.01, randomLike(view.weights(), r));
        compare(opCase.name() + " (moved)", view, Map.of(), r);
    }

    @Test
    void mlpProductsMatchSameDiffAcrossPointsAndBatches() {
        for (TestModels.Activation act : TestModels.Activation.values()) {
            TestModels.Model m = TestModels.mlp(3, DataType.DOUBLE, 12, 7, new int[] {6, 5}, 4, act);
            ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
            Random r = new Random(5);
            compare("MLP " + act, view, m.feed(), r);
            view.hyperparameters().axpyInPlace(0.3, randomLike(view.hyperparameters(), r));
            compare("MLP " + act + " after λ moved", view, m.feed(), r);
            Map<String, INDArray> other = TestModels.mlp(4, DataType.DOUBLE, 9, 7, new int[] {6, 5}, 4, act).feed();
            compare("MLP " + act + " on another batch size", view, other, r);
        }
    }

    @Test
    void cnnProductsMatchSameDiff() {
        TestModels.Model m = TestModels.cnn(2, DataType.DOUBLE, 3, 2, 8, 3, 2, 3);
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        Random r = new Random(9);
        compare("CNN", view, m.feed(), r);
        view.weights().axpyInPlace(0.05, randomLike(view.weights(), r));
        compare("CNN (moved)", view, m.feed(), r);
    }

    @Test
    void repeatedProductsAtOnePointReuseTheForwardPass() {
        TestModels.Model m = TestModels.mlp(3, DataType.DOUBLE, 16, 8, new int[] {10}, 3, TestModels.Activation.TANH);
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        Random r = new Random(1);
        view.hessianVector(randomLike(view.weights(), r), m.feed());
        long runFirst = view.engineStatistics().orElseThrow().opsRun();
        view.hessianVector(randomLike(view.weights(), r), m.feed());
        long runSecond = view.engineStatistics().orElseThrow().opsRun() - runFirst;
        assertTrue(runSecond < runFirst * 0.8, "a second H v at the same point ran " + runSecond + " ops of " + runFirst);
        // Changing a weight in place must invalidate what depends on it.
        ParamVector v = randomLike(view.weights(), r);
        ParamVector before = view.hessianVector(v, m.feed());
        view.weights().get(m.weights().get(0)).muli(1.5);
        ParamVector engine = view.hessianVector(v, m.feed());
        ParamVector reference = view.executor(ExactSecondOrderView.Executor.SAMEDIFF).hessianVector(v, m.feed());
        assertTrue(Numerics.relativeError(engine.toDoubleArray(), reference.toDoubleArray(), 1e-300) < TOLERANCE);
        assertTrue(Numerics.relativeError(before.toDoubleArray(), reference.toDoubleArray(), 1e-300) > 1e-6,
                "the product must have changed with the weights");
    }

    @Test
    void aFixedPointScopeSeesWeightsChangedBeforeItAndOnlyDirectionsWithinIt() {
        TestModels.Model m = TestModels.mlp(3, DataType.DOUBLE, 16, 8, new int[] {10}, 3, TestModels.Activation.TANH);
        ExactSecondOrderView view = ExactSecondOrderView.build(m.sd(), m.loss(), m.weights(), m.hyperparameters());
        Random r = new Random(2);
        ParamVector v = randomLike(view.weights(), r);
        view.hessianVector(v, m.feed());
        // The weights move in place (as an optimiser step does) before the scope: its products must see it.
        view.weights().axpyInPlace(0.1, randomLike(view.weights(), r));
        ParamVector u = randomLike(view.weights(), r);
        ParamVector[] inScope = view.atFixedPoint(() -> new ParamVector[] {view.hessianVector(v, m.feed()), view.hessianVector(u, m.feed())});
        view.executor(ExactSecondOrderView.Executor.SAMEDIFF);
        ParamVector refV = view.hessianVector(v, m.feed());
        ParamVector refU = view.hessianVector(u, m.feed());
        assertTrue(Numerics.relativeError(inScope[0].toDoubleArray(), refV.toDoubleArray(), 1e-300) < TOLERANCE, "first product in the scope");
        assertTrue(Numerics.relativeError(inScope[1].toDoubleArray(), refU.toDoubleArray(), 1e-300) < TOLERANCE, "a new direction in the scope");
    }

    @Test
    void badFeedsAreRefusedWithTheirNames() {
        TestModels.Model m = TestModels.mlp(3, DataType.DOUBLE, 4, 5, new int[] {3}, 2, TestModels.Activation.TANH);
        GraphEngine engine = GraphEngine.of(m.sd());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> engine.output(Map.of(), List.of(m.loss())));
        assertTrue(missing.getMessage().contains("not fed"), missing.getMessage());
        String x = m.feed().keySet().stream().filter(k -> m.feed().get(k).shape()[1] == 5).findFirst().orElseThrow();
        Map<String, INDArray> wrong = new java.util.HashMap<>(m.feed());
        wrong.put(x, Nd4j.zeros(DataType.DOUBLE, 4, 6));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> engine.output(wrong, List.of(m.loss())));
        assertTrue(shape.getMessage().contains("'" + x + "'") && shape.getMessage().contains("[4, 6]"), shape.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> engine.output(m.feed(), List.of("nope")));
        assertTrue(none.getMessage().contains("'nope'"), none.getMessage());
        assertEquals(m.sd(), engine.graph());
    }

    private static void compare(String what, ExactSecondOrderView view, Map<String, INDArray> feed, Random r) {
        ParamVector v = randomLike(view.weights(), r);
        ParamVector u = view.hyperparameters().isEmpty() ? null : randomLike(view.hyperparameters(), r);
        view.executor(ExactSecondOrderView.Executor.SAMEDIFF);
        LossAndGradient refG = view.lossAndGradient(feed);
        CurvatureProducts refP = view.hessianAndMixed(v, feed);
        ParamVector refT = u == null ? null : view.mixedTransposeProduct(u, feed);
        view.executor(ExactSecondOrderView.Executor.ENGINE);
        // Twice: the second call runs from cached values.
        for (int pass = 0; pass < 2; pass++) {
            LossAndGradient g = view.lossAndGradient(feed);
            CurvatureProducts p = view.hessianAndMixed(v, feed);
            String at = what + (pass == 1 ? " (cached)" : "");
            assertClose(at + ": loss", new double[] {g.loss()}, new double[] {refG.loss()});
            assertClose(at + ": ∂L/∂w", g.weightGradient().toDoubleArray(), refG.weightGradient().toDoubleArray());
            assertClose(at + ": ∂L/∂λ", g.hyperparameterGradient().toDoubleArray(), refG.hyperparameterGradient().toDoubleArray());
            assertClose(at + ": H v", p.hessianVector().toDoubleArray(), refP.hessianVector().toDoubleArray());
            assertClose(at + ": H v alone", view.hessianVector(v, feed).toDoubleArray(), refP.hessianVector().toDoubleArray());
            assertClose(at + ": mixed v", p.mixedVector().toDoubleArray(), refP.mixedVector().toDoubleArray());
            assertClose(at + ": mixed v alone", view.mixedVector(v, feed).toDoubleArray(), refP.mixedVector().toDoubleArray());
            if (u != null) {
                assertClose(at + ": mixedᵀ u", view.mixedTransposeProduct(u, feed).toDoubleArray(), refT.toDoubleArray());
            }
        }
    }

    private static void assertClose(String what, double[] ours, double[] reference) {
        double err = Numerics.relativeError(ours, reference, 1e-300);
        boolean bothZero = java.util.Arrays.stream(reference).allMatch(x -> x == 0) && java.util.Arrays.stream(ours).allMatch(x -> x == 0);
        assertTrue(bothZero || err <= TOLERANCE, what + ": engine vs SameDiff relative error " + err);
    }

    private static ParamVector randomLike(ParamVector template, Random r) {
        double[] d = new double[(int) template.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return template.withValues(d);
    }
}
