package org.hypergrad4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Which rows minibatch {@code t} of a set of {@code n} rows holds: epoch {@code e = ⌊t / ⌊n/b⌋⌋} is a permutation
 * of the rows drawn (Fisher–Yates) from item {@code e} of a {@link SeedStream} under the run's seed, cut into
 * consecutive batches of {@code b} rows; a last partial batch is dropped. Batch size 0 means the full batch, in row
 * order. A pure function of (n, b, seed, stream, t), so runs replay and resume exactly; the one minibatch schedule of
 * every trainer and hypergradient estimator.
 */
public final class MinibatchSchedule {
    private MinibatchSchedule() {
    }

    /**
     * The rows of minibatch {@code step}.
     *
     * @param n         the number of rows, at least 1
     * @param batchSize the batch size, in {@code [0, n]}; 0 for the full batch in row order
     * @param seed      the run's root seed
     * @param stream    the stream the epoch permutations come from
     * @param step      the minibatch's index, at least 0
     * @return a fresh array of {@code batchSize} (or {@code n}) distinct row indices
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static int[] rows(int n, int batchSize, long seed, SeedStream stream, long step) {
        if (n < 1) {
            throw new IllegalArgumentException("A minibatch needs at least one row to draw from, but the set has " + n + ".");
        }
        if (batchSize < 0 || batchSize > n) {
            throw new IllegalArgumentException("Batch size " + batchSize + " is outside [0, " + n + "] (0 = the full batch) for a set of "
                    + n + " rows.");
        }
        if (step < 0) {
            throw new IllegalArgumentException("Minibatch index " + step + " is negative.");
        }
        if (batchSize == 0) {
            return IntStream.range(0, n).toArray();
        }
        int perEpoch = n / batchSize;
        int from = (int) (step % perEpoch) * batchSize;
        return Arrays.copyOfRange(epochPermutation(n, seed, stream, step / perEpoch), from, from + batchSize);
    }

    /** The number of whole batches of {@code batchSize} in {@code n} rows (1 for the full batch). */
    public static int batchesPerEpoch(int n, int batchSize) {
        return batchSize == 0 ? 1 : n / batchSize;
    }

    /** Epoch {@code epoch}'s permutation of {@code 0 … n−1}. */
    public static int[] epochPermutation(int n, long seed, SeedStream stream, long epoch) {
        int[] permutation = IntStream.range(0, n).toArray();
        SplittableRandom random = stream.splittable(seed, epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return permutation;
    }
}
