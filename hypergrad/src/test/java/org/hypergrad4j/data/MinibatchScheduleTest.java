package org.hypergrad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinibatchScheduleTest {

    @Test
    void eachEpochIsAPermutationCutIntoWholeBatches() {
        int n = 10;
        int b = 3;
        assertEquals(3, MinibatchSchedule.batchesPerEpoch(n, b));
        for (long epoch = 0; epoch < 4; epoch++) {
            int[] permutation = MinibatchSchedule.epochPermutation(n, 5, SeedStream.TRAINING_BATCHES, epoch);
            int[] sorted = permutation.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "epoch " + epoch);
            Set<Integer> seen = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                int[] batch = MinibatchSchedule.rows(n, b, 5, SeedStream.TRAINING_BATCHES, 3 * epoch + k);
                assertArrayEquals(Arrays.copyOfRange(permutation, 3 * k, 3 * k + 3), batch, "epoch " + epoch + " batch " + k);
                for (int r : batch) {
                    assertTrue(seen.add(r), "row " + r + " twice in epoch " + epoch);
                }
            }
            assertEquals(9, seen.size(), "the last partial batch (one row) is dropped");
        }
        assertFalse(Arrays.equals(MinibatchSchedule.epochPermutation(n, 5, SeedStream.TRAINING_BATCHES, 0),
                MinibatchSchedule.epochPermutation(n, 5, SeedStream.TRAINING_BATCHES, 1)), "epochs differ");
    }

    @Test
    void theFullBatchIsEveryRowInOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, MinibatchSchedule.rows(4, 0, 9, SeedStream.TRAINING_BATCHES, 17));
        assertEquals(1, MinibatchSchedule.batchesPerEpoch(4, 0));
    }

    @Test
    void batchesAreAPureFunctionOfTheirArguments() {
        int[] first = MinibatchSchedule.rows(50, 7, 3, SeedStream.VALIDATION_BATCHES, 11);
        assertArrayEquals(first, MinibatchSchedule.rows(50, 7, 3, SeedStream.VALIDATION_BATCHES, 11));
        assertFalse(Arrays.equals(first, MinibatchSchedule.rows(50, 7, 4, SeedStream.VALIDATION_BATCHES, 11)), "seed");
        assertFalse(Arrays.equals(first, MinibatchSchedule.rows(50, 7, 3, SeedStream.TRAINING_BATCHES, 11)), "stream");
        assertFalse(Arrays.equals(first, MinibatchSchedule.rows(50, 7, 3, SeedStream.VALIDATION_BATCHES, 12)), "step");
    }

    @Test
    void everyRowIsVisitedEquallyOftenOverWholeEpochs() {
        int[] visits = new int[12];
        for (long step = 0; step < 40 * 3; step++) {
            for (int r : MinibatchSchedule.rows(12, 4, 1, SeedStream.TRAINING_BATCHES, step)) {
                visits[r]++;
            }
        }
        int[] expected = new int[12];
        Arrays.fill(expected, 40);
        assertArrayEquals(expected, visits);
    }

    /**
     * The reason for the stream formula: a generator seeded {@code r·γ + e} (γ being SplittableRandom's own
     * increment), as before, draws under root {@code r + 1} what root {@code r} draws, offset by one; the mixed
     * seeds of neighbouring roots share no draws.
     */
    @Test
    void neighbouringRootsShareNoDraws() {
        long gamma = 0x9E3779B97F4A7C15L;
        SplittableRandom oldRoot1 = new SplittableRandom(gamma);
        SplittableRandom oldRoot2 = new SplittableRandom(2 * gamma);
        oldRoot1.nextLong();
        assertEquals(oldRoot1.nextLong(), oldRoot2.nextLong(), "the old formula's overlap, which this test must be able to see");

        Set<Long> drawsOfRoot1 = new HashSet<>();
        SplittableRandom root1 = SeedStream.TRAINING_BATCHES.splittable(1, 0);
        for (int i = 0; i < 1000; i++) {
            drawsOfRoot1.add(root1.nextLong());
        }
        SplittableRandom root2 = SeedStream.TRAINING_BATCHES.splittable(2, 0);
        for (int i = 0; i < 1000; i++) {
            assertFalse(drawsOfRoot1.contains(root2.nextLong()), "draw " + i + " of root 2 is one of root 1's");
        }
    }

    @Test
    void streamIdentifiersAreDistinctAndSeedsDiffer() {
        Set<Long> ids = new HashSet<>();
        Set<Long> seeds = new HashSet<>();
        for (SeedStream s : SeedStream.values()) {
            assertTrue(ids.add(s.id()), s + " reuses an id");
            for (long root = 0; root < 4; root++) {
                for (long index = 0; index < 4; index++) {
                    assertTrue(seeds.add(s.seed(root, index)), s + " root " + root + " index " + index);
                }
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("A minibatch needs at least one row to draw from, but the set has 0.",
                assertThrows(IllegalArgumentException.class, () -> MinibatchSchedule.rows(0, 0, 1, SeedStream.TRAINING_BATCHES, 0)).getMessage());
        assertEquals("Batch size 11 is outside [0, 10] (0 = the full batch) for a set of 10 rows.",
                assertThrows(IllegalArgumentException.class, () -> MinibatchSchedule.rows(10, 11, 1, SeedStream.TRAINING_BATCHES, 0)).getMessage());
        assertEquals("Minibatch index -1 is negative.",
                assertThrows(IllegalArgumentException.class, () -> MinibatchSchedule.rows(10, 2, 1, SeedStream.TRAINING_BATCHES, -1)).getMessage());
    }
}
