package org.hypergrad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParamVectorTest {
    private static ParamVector vector(double[] a, double[][] b) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("a", Nd4j.createFromArray(a));
        m.put("b", Nd4j.createFromArray(b));
        return ParamVector.wrap(m);
    }

    @Test
    void linearAlgebraOverSeveralTensors() {
        ParamVector x = vector(new double[] {1, 2}, new double[][] {{3, 4}, {5, 6}});
        ParamVector y = vector(new double[] {1, 0}, new double[][] {{0, 1}, {0, 2}});
        assertEquals(1 + 4 + 12, x.dot(y), 0.0);
        assertEquals(Math.sqrt(1 + 4 + 9 + 16 + 25 + 36), x.norm2(), 1e-12);
        assertEquals(6.0, x.normMax(), 0.0);
        assertEquals(6, x.length());
        assertArrayEquals(new double[] {3, 2, 3, 6, 5, 10}, x.dup().axpyInPlace(2.0, y).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, x.toDoubleArray(), 0.0, "axpyInPlace on a copy leaves the original");
        assertArrayEquals(new double[] {0, 2, 3, 3, 5, 4}, x.sub(y).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {-1, -2, -3, -4, -5, -6}, x.scale(-1).toDoubleArray(), 0.0);
        assertArrayEquals(x.toDoubleArray(), x.withValues(x.toDoubleArray()).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0}, x.unitVector(3).toDoubleArray(), 0.0);
    }

    @Test
    void wrapIsLiveAndDupIsNot() {
        INDArray a = Nd4j.createFromArray(1.0, 2.0);
        ParamVector live = ParamVector.of("a", a);
        ParamVector copy = live.dup();
        live.scaleInPlace(3);
        assertEquals(3.0, a.getDouble(0), 0.0);
        assertEquals(1.0, copy.get("a").getDouble(0), 0.0);
    }

    @Test
    void mismatchNamesBothLayouts() {
        ParamVector x = vector(new double[] {1, 2}, new double[][] {{3, 4}, {5, 6}});
        ParamVector y = vector(new double[] {1, 2, 3}, new double[][] {{3, 4}, {5, 6}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.dot(y));
        assertTrue(e.getMessage().contains("{a=[2], b=[2, 2]} vs {a=[3], b=[2, 2]}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.withValues(new double[5]));
        IllegalArgumentException types = assertThrows(IllegalArgumentException.class, () -> ParamVector.wrap(Map.of(
                "f", Nd4j.zeros(DataType.FLOAT, 2), "d", Nd4j.zeros(DataType.DOUBLE, 2))));
        assertTrue(types.getMessage().contains("one type"), types.getMessage());
    }

    @Test
    void nonFiniteEntriesAreFound() {
        ParamVector x = vector(new double[] {1, 2}, new double[][] {{3, Double.NaN}, {5, 6}});
        assertFalse(x.isFinite());
        assertEquals("b", x.firstNonFinite());
        ParamVector inf = vector(new double[] {Double.POSITIVE_INFINITY, 2}, new double[][] {{3, 4}, {5, 6}});
        assertEquals("a", inf.firstNonFinite());
        assertTrue(vector(new double[] {1e300, 1e300}, new double[][] {{1e300, 1e300}, {1, 1}}).isFinite());
    }
}
