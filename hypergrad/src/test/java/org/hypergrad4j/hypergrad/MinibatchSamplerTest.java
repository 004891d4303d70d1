package org.hypergrad4j.hypergrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The sampler's batches: the rows the one minibatch schedule names, copied exactly for arrays of any rank. */
class MinibatchSamplerTest {

    @Test
    void gatheredRowsAreTheNamedRowsForEveryRankAndType() {
        int[] rows = {4, 0, 4, 2};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (long[] shape : new long[][] {{5}, {5, 3}, {5, 2, 3, 4}}) {
                INDArray a = Nd4j.rand(DataType.DOUBLE, shape).castTo(type);
                INDArray g = MinibatchSampler.gatherRows(a, rows);
                long[] expectedShape = shape.clone();
                expectedShape[0] = rows.length;
                assertArrayEquals(expectedShape, g.shape());
                assertEquals(type, g.dataType());
                for (int k = 0; k < rows.length; k++) {
                    INDArray want = shape.length == 1 ? a.getScalar(rows[k]) : a.slice(rows[k]);
                    INDArray got = shape.length == 1 ? g.getScalar(k) : g.slice(k);
                    assertArrayEquals(want.dup().data().asDouble(), got.dup().data().asDouble(), 0.0, "row " + k + " of shape " + shape.length);
                }
            }
        }
    }

    @Test
    void batchStepIsTheScheduleBatchOfItsStepAndGetAdvances() {
        INDArray x = Nd4j.arange(20).castTo(DataType.DOUBLE).reshape(10, 2);
        INDArray y = Nd4j.arange(10).castTo(DataType.DOUBLE);
        MinibatchSampler sampler = new MinibatchSampler(Map.of("x", x, "y", y), 3, 7);
        for (long step = 0; step < 5; step++) {
            int[] rows = MinibatchSchedule.rows(10, 3, 7, SeedStream.SAMPLER_BATCHES, step);
            Map<String, INDArray> batch = sampler.get();
            assertEquals(batch, sampler.at(step));
            for (int k = 0; k < rows.length; k++) {
                assertEquals(rows[k], batch.get("y").getDouble(k), 0.0);
                assertEquals(2.0 * rows[k] + 1, batch.get("x").getDouble(k, 1), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new MinibatchSampler(Map.of("x", x, "y", y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 9))), 3, 7));
        assertThrows(IllegalArgumentException.class, () -> new MinibatchSampler(Map.of("x", x), 11, 7));
    }
}
