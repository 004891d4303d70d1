package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bulk tensor writer produces {@link Nd4j#write}'s bytes (but for NaN payloads, which it keeps), so {@link Nd4j#read}
 * reads every checkpoint, bit for bit.
 */
class TensorBytesTest {
    private static Map<String, INDArray> tensors() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("float matrix", Nd4j.createFromArray(new float[][] {{1.5f, Float.NaN, -0.0f}, {Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY}}));
        m.put("float, several blocks", Nd4j.rand(DataType.FLOAT, 3, 50_001));
        m.put("double, f order", Nd4j.rand(DataType.DOUBLE, 40_000, 3).dup('f'));
        m.put("double specials", Nd4j.createFromArray(Double.NaN, -0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY));
        m.put("column view", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}).getColumn(1));
        m.put("row view of a large matrix", Nd4j.rand(DataType.DOUBLE, 4, 20_000).getRow(2));
        m.put("int", Nd4j.createFromArray(Integer.MIN_VALUE, 0, -1, Integer.MAX_VALUE));
        m.put("long", Nd4j.createFromArray(new long[] {Long.MIN_VALUE, 7, -1, Long.MAX_VALUE}));
        m.put("half (ND4J's path)", Nd4j.createFromArray(0.5f, -2f, 65504f).castTo(DataType.HALF));
        m.put("bool (ND4J's path)", Nd4j.createFromArray(true, false, true));
        m.put("float scalar", Nd4j.scalar(DataType.FLOAT, 3.25f));
        m.put("long scalar", Nd4j.scalar(DataType.LONG, -5L));
        return m;
    }

    @Test
    void bytesEqualNd4jWriteForEveryTypeShapeOrderAndView() throws IOException {
        for (Map.Entry<String, INDArray> e : tensors().entrySet()) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            Nd4j.write(e.getValue(), new DataOutputStream(expected));
            ByteArrayOutputStream actual = new ByteArrayOutputStream();
            TensorBytes.write(e.getValue(), new DataOutputStream(actual));
            assertArrayEquals(expected.toByteArray(), actual.toByteArray(), e.getKey());
        }
    }

    /** NaNs with a payload, which ND4J's writer makes canonical ({@code writeFloat}): kept as they are. */
    private static Map<String, INDArray> payloadNaNs() {
        return Map.of("float NaN payload", Nd4j.createFromArray(1f, Float.intBitsToFloat(0x7fc00123), Float.intBitsToFloat(0xffc00001)),
                "double NaN payload", Nd4j.createFromArray(Double.longBitsToDouble(0x7ff8000000000abcL), 2.0));
    }

    @Test
    void nd4jReadGivesTheSameTypeShapeAndBitsNaNPayloadsIncluded() throws IOException {
        Map<String, INDArray> all = new LinkedHashMap<>(tensors());
        all.putAll(payloadNaNs());
        for (Map.Entry<String, INDArray> e : all.entrySet()) {
            INDArray t = e.getValue();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TensorBytes.write(t, new DataOutputStream(bytes));
            INDArray back = Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(t.dataType(), back.dataType(), e.getKey());
            assertArrayEquals(t.shape(), back.shape(), e.getKey());
            // Compared as bits (c order, widened to 64 bits where exact), so NaN payloads and -0.0 count.
            INDArray a = t.dup('c');
            INDArray b = back.dup('c');
            for (long i = 0; i < t.length(); i++) {
                assertEquals(bits(a, i), bits(b, i), e.getKey() + " element " + i);
            }
        }
    }

    private static long bits(INDArray c, long i) {
        return switch (c.dataType()) {
            case DOUBLE -> Double.doubleToRawLongBits(c.data().getDouble(i));
            case FLOAT -> Float.floatToRawIntBits(c.data().getFloat(i));
            case LONG, INT -> c.data().getLong(i);
            default -> Double.doubleToRawLongBits(c.data().getDouble(i));
        };
    }
}
