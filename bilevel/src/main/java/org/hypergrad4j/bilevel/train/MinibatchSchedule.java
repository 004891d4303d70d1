package org.hypergrad4j.bilevel.train;

import java.util.SplittableRandom;

/**
 * Which training rows step {@code s} uses: each epoch is a permutation of the rows drawn from a generator
 * seeded by the seed and the epoch number, cut into consecutive batches (a last partial batch is dropped).
 * A pure function of (n, batch size, seed, s), so runs replay and resume exactly.
 */
public final class MinibatchSchedule {
    private MinibatchSchedule() {
    }

    /** @param batchSize 0 for the full batch, in row order */
    public static int[] rows(int n, int batchSize, long seed, long step) {
        int size = batchSize == 0 ? n : batchSize;
        int perEpoch = n / size;
        long epoch = step / perEpoch;
        int offset = (int) (step % perEpoch) * size;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (batchSize != 0) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int[] rows = new int[size];
        System.arraycopy(perm, offset, rows, 0, size);
        return rows;
    }
}
