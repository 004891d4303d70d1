package org.hypergrad4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

class GradientTransformErrorsTest {
    private final GradientTransform transform = GradientTransform.withBuiltinRules();

    @Test
    void opWithoutRuleIsNamedAndGraphIsLeftUnchanged() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 4));
        SDVariable c = sd.cumsum(x, 1);
        c.rename("running");
        SDVariable loss = c.sum();
        int before = sd.getOps().size();
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> transform.append(loss, List.of(x)));
        assertEquals("cumsum", e.opName());
        assertEquals("running", e.outputVariable());
        assertTrue(e.getMessage().contains("'cumsum'") && e.getMessage().contains("'running'"), e.getMessage());
        assertTrue(e.getMessage().contains("FiniteDifferenceSecondOrderView"), e.getMessage());
        assertEquals(before, sd.getOps().size(), "no op may be appended when the transform fails");
    }

    @Test
    void unsupportedConfigurationIsNamed() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("img", Nd4j.rand(DataType.DOUBLE, 1, 1, 6, 6));
        SDVariable k = sd.var("k", Nd4j.rand(DataType.DOUBLE, 2, 2, 1, 1));
        SDVariable y = sd.cnn.conv2d(x, k, Conv2DConfig.builder().kH(2).kW(2).sH(2).sW(2).build());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> transform.append(y.sum(), List.of(k)));
        assertTrue(e.getMessage().contains("stride 1"), e.getMessage());
    }

    @Test
    void scalarThatDoesNotDependOnVariableIsReported() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3));
        SDVariable unused = sd.var("unused", Nd4j.rand(DataType.DOUBLE, 2));
        SDVariable loss = sd.math.square(x).sum();
        loss.rename("loss");
        NoGradientPathException e = assertThrows(NoGradientPathException.class, () -> transform.append(loss, List.of(x, unused)));
        assertEquals("unused", e.variable());
        assertEquals("loss", e.scalar());
        assertTrue(e.getMessage().contains("'loss' does not depend on variable 'unused'"), e.getMessage());

        GradientGraph lenient = transform.append(loss, List.of(x, unused), MissingPath.ZERO);
        assertTrue(lenient.has("x"));
        assertFalse(lenient.has("unused"));
        assertThrows(IllegalArgumentException.class, () -> lenient.gradient("unused"));
    }

    @Test
    void nonScalarIsRejectedWithItsShape() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 2));
        SDVariable notScalar = sd.math.square(x);
        notScalar.rename("squares");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> transform.append(notScalar, List.of(x)));
        assertTrue(e.getMessage().contains("'squares' has shape [3, 2]"), e.getMessage());
    }

    @Test
    void integerVariableIsRejected() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3));
        SDVariable idx = sd.constant("idx", Nd4j.createFromArray(1, 2, 3));
        SDVariable loss = x.sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> transform.append(loss, List.of(idx)));
        assertTrue(e.getMessage().contains("'idx' has type INT"), e.getMessage());
    }

    @Test
    void placeholderWithoutShapeIsReported() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3));
        SDVariable p = sd.placeHolder("data", DataType.DOUBLE, (long[]) null);
        SDVariable loss = w.mul(p).sum();
        GradientTransformException e = assertThrows(GradientTransformException.class, () -> transform.append(loss, List.of(w)));
        assertTrue(e.getMessage().contains("Placeholder 'data'"), e.getMessage());
    }

    @Test
    void userRegisteredRuleIsUsed() {
        // sign has zero derivative built in; override it with the identity to prove the registry is consulted.
        VjpRegistry registry = VjpRegistry.builtin().register(org.nd4j.linalg.api.ops.impl.transforms.same.Sign.class,
                (ctx, op, in, out, c) -> new SDVariable[] {c[0]});
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(0.5, -2.0));
        SDVariable loss = sd.math.sign(x).sum();
        GradientGraph g = new GradientTransform(registry).append(loss, List.of(x));
        double[] grad = sd.output(Map.of(), g.gradient("x").name()).get(g.gradient("x").name()).toDoubleVector();
        assertEquals(1.0, grad[0], 0.0);
        assertEquals(1.0, grad[1], 0.0);
        assertTrue(VjpRegistry.builtin().supportedOps().contains("Conv2D"));
    }

    @Test
    void gradientsFollowDynamicBatchSizesIncludingOne() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
        SDVariable b = sd.var("b", Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3}}));
        SDVariable loss = sd.math.square(x.add(b)).mean();
        GradientGraph g = transform.append(loss, List.of(b));
        String gb = g.gradient("b").name();
        for (int batch : new int[] {1, 2, 7}) {
            var xs = Nd4j.rand(DataType.DOUBLE, batch, 3);
            double[] got = sd.output(Map.of("x", xs), gb).get(gb).toDoubleVector();
            // d/db mean((x + b)²) = 2/(3·batch) Σ_n (x_n + b)
            double[] expected = xs.addRowVector(b.getArr()).sum(0).mul(2.0 / (3.0 * batch)).toDoubleVector();
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[j], got[j], 1e-12, "batch " + batch + ", entry " + j);
            }
        }
    }
}
