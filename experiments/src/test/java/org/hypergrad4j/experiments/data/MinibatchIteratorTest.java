package org.hypergrad4j.experiments.data;

import static org.hypergrad4j.experiments.data.DatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MinibatchIteratorTest {

    @Test
    void keptLastBatchMakesEachEpochAPermutation() {
        MinibatchIterator it = new MinibatchIterator(10, 4, MinibatchIterator.LastBatch.KEEP, 1);
        assertEquals(3, it.batchesPerEpoch());
        for (long epoch = 0; epoch < 5; epoch++) {
            int[][] batches = it.epochBatches(epoch);
            assertEquals(4, batches[0].length);
            assertEquals(4, batches[1].length);
            assertEquals(2, batches[2].length);
            int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).toArray();
            assertArrayEquals(it.epochPermutation(epoch), all);
            Arrays.sort(all);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
        }
    }

    @Test
    void droppedLastBatchLeavesOnlyFullBatches() {
        MinibatchIterator it = new MinibatchIterator(10, 4, MinibatchIterator.LastBatch.DROP, 1);
        assertEquals(2, it.batchesPerEpoch());
        for (int step = 0; step < 20; step++) {
            assertEquals(4, it.next().length);
        }
        assertEquals(10, it.epoch());
        assertEquals(5, new MinibatchIterator(10, 2, MinibatchIterator.LastBatch.DROP, 1).batchesPerEpoch());
    }

    @Test
    void iterationFollowsBatchAtAndCanBeReplayedBackwards() {
        MinibatchIterator it = new MinibatchIterator(23, 5, MinibatchIterator.LastBatch.KEEP, 77);
        int[][] forward = new int[17][];
        for (int step = 0; step < forward.length; step++) {
            assertEquals(step, it.position());
            assertTrue(it.hasNext());
            forward[step] = it.next();
        }
        MinibatchIterator replay = new MinibatchIterator(23, 5, MinibatchIterator.LastBatch.KEEP, 77);
        for (int step = forward.length - 1; step >= 0; step--) {
            assertArrayEquals(forward[step], replay.batchAt(step), "step " + step);
        }
        it.seek(3);
        assertArrayEquals(forward[3], it.next());
    }

    @Test
    void epochsDifferAndSeedsMatter() {
        MinibatchIterator a = new MinibatchIterator(50, 10, MinibatchIterator.LastBatch.KEEP, 5);
        MinibatchIterator b = new MinibatchIterator(50, 10, MinibatchIterator.LastBatch.KEEP, 5);
        MinibatchIterator c = new MinibatchIterator(50, 10, MinibatchIterator.LastBatch.KEEP, 6);
        assertArrayEquals(a.epochPermutation(0), b.epochPermutation(0));
        assertArrayEquals(a.epochPermutation(7), b.epochPermutation(7));
        assertFalse(Arrays.equals(a.epochPermutation(0), a.epochPermutation(1)));
        assertFalse(Arrays.equals(a.epochPermutation(0), c.epochPermutation(0)));
    }

    @Test
    void everyExampleIsVisitedEquallyOftenOverManyEpochs() {
        MinibatchIterator it = new MinibatchIterator(7, 3, MinibatchIterator.LastBatch.KEEP, 0);
        int[] visits = new int[7];
        for (int step = 0; step < 100 * it.batchesPerEpoch(); step++) {
            for (int i : it.next()) {
                visits[i]++;
            }
        }
        int[] expected = new int[7];
        Arrays.fill(expected, 100);
        assertArrayEquals(expected, visits);
    }

    @Test
    void slicesAreSubsetsOfTheData() {
        Dataset iris = BundledDatasets.iris();
        MinibatchIterator it = MinibatchIterator.over(iris, 32, MinibatchIterator.LastBatch.KEEP, 3);
        assertEquals(5, it.batchesPerEpoch());
        int[] indices = it.batchAt(4);
        assertEquals(22, indices.length);
        Dataset slice = it.sliceAt(iris, 4);
        assertEquals(iris.subset(indices), slice);
        assertEquals(iris.subset(it.batchAt(0)), it.nextSlice(iris));
        assertEquals(1, it.position());
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage(() -> new MinibatchIterator(0, 1, MinibatchIterator.LastBatch.KEEP, 0),
                "The number of examples to batch must be at least 1, but was 0.");
        assertMessage(() -> new MinibatchIterator(10, -2, MinibatchIterator.LastBatch.KEEP, 0),
                "The batch size must be at least 1, but was -2.");
        assertMessage(() -> new MinibatchIterator(10, 11, MinibatchIterator.LastBatch.DROP, 0),
                "The batch size 11 exceeds the 10 examples");
        assertMessage(() -> new MinibatchIterator(10, 2, null, 0), "last-batch policy must not be null");
        MinibatchIterator it = new MinibatchIterator(10, 11, MinibatchIterator.LastBatch.KEEP, 0);
        assertEquals(1, it.batchesPerEpoch());
        assertEquals(10, it.batchAt(3).length);
        assertMessage(() -> it.batchAt(-1), "The step must be at least 0, but was -1.");
        assertMessage(() -> it.epochPermutation(-2), "The epoch must be at least 0, but was -2.");
        assertMessage(() -> it.sliceAt(BundledDatasets.iris(), 0),
                "Data set 'iris' has 150 examples, but this minibatch schedule was built for 10.");
        assertMessage(() -> MinibatchIterator.over(BundledDatasets.iris().subset(), 1,
                MinibatchIterator.LastBatch.KEEP, 0), "must be at least 1, but was 0");
    }
}
