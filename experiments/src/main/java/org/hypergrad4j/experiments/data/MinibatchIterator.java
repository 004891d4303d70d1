package org.hypergrad4j.experiments.data;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Seeded minibatches over {@code n} examples, epoch after epoch, addressable by step number.
 *
 * <h2>Schedule</h2>
 * Epoch {@code e} (0-based) visits the examples in the order of a permutation drawn by Fisher-Yates from a
 * {@link SplittableRandom} whose seed is a fixed function of ({@code seed}, {@code e}); the permutation is cut
 * into consecutive batches of {@code batchSize} indices. If {@code n} is not a multiple of {@code batchSize},
 * the last, partial batch is kept ({@link LastBatch#KEEP}, {@code ceil(n / batchSize)} batches per epoch) or
 * dropped ({@link LastBatch#DROP}, {@code floor(n / batchSize)} batches per epoch). Global step {@code t}
 * is batch {@code t mod batchesPerEpoch()} of epoch {@code t / batchesPerEpoch()}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every batch is non-empty; every batch except a kept last one has exactly {@code batchSize}
 *       indices.</li>
 *   <li>Within an epoch the batches are pairwise disjoint; with {@link LastBatch#KEEP} they cover
 *       {@code [0, n)} exactly once.</li>
 *   <li>{@link #batchAt(long)} is a pure function of the constructor arguments and the step, so a reverse
 *       pass (as in reversible-learning hypergradients) can replay the minibatch of any step, in any order.</li>
 * </ul>
 *
 * <h2>Iteration</h2>
 * As an {@link Iterator}, the object yields the unbounded stream {@code batchAt(0), batchAt(1), ...};
 * {@link #hasNext()} is always {@code true}, so the caller decides how many steps to take.
 *
 * <p>Instances are not thread-safe: besides the iterator position they cache the permutation of the most
 * recently used epoch. Use one instance per thread; instances built from equal arguments produce equal
 * batches.
 */
public final class MinibatchIterator implements Iterator<int[]> {

    /** What to do with the final batch of an epoch when {@code n} is not a multiple of the batch size. */
    public enum LastBatch {
        /** Keep the smaller final batch, so every example is visited once per epoch. */
        KEEP,
        /** Drop it, so every batch has exactly {@code batchSize} examples. */
        DROP
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int numExamples;
    private final int batchSize;
    private final LastBatch lastBatch;
    private final long seed;
    private final int batchesPerEpoch;

    private long position;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    /**
     * Creates the schedule.
     *
     * @param numExamples the number of examples {@code n ≥ 1}
     * @param batchSize   the batch size, {@code 1 ≤ batchSize}; with {@link LastBatch#DROP} also
     *                    {@code batchSize ≤ n}, since otherwise an epoch would have no batch
     * @param lastBatch   whether to keep or drop a final partial batch
     * @param seed        the seed of the shuffles
     * @throws IllegalArgumentException if an argument is out of range or null
     */
    public MinibatchIterator(int numExamples, int batchSize, LastBatch lastBatch, long seed) {
        if (numExamples < 1) {
            throw new IllegalArgumentException("The number of examples to batch must be at least 1, but was "
                    + numExamples + ".");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, but was " + batchSize + ".");
        }
        if (lastBatch == null) {
            throw new IllegalArgumentException("The last-batch policy must not be null; use KEEP or DROP.");
        }
        if (lastBatch == LastBatch.DROP && batchSize > numExamples) {
            throw new IllegalArgumentException("The batch size " + batchSize + " exceeds the " + numExamples
                    + " examples, so dropping the partial last batch would leave no batch per epoch; use a batch"
                    + " size in [1, " + numExamples + "] or LastBatch.KEEP.");
        }
        this.numExamples = numExamples;
        this.batchSize = batchSize;
        this.lastBatch = lastBatch;
        this.seed = seed;
        this.batchesPerEpoch = lastBatch == LastBatch.KEEP
                ? (numExamples + batchSize - 1) / batchSize
                : numExamples / batchSize;
    }

    /**
     * Creates the schedule for a data set.
     *
     * @param data      the data set, with at least one example
     * @param batchSize the batch size (see {@link #MinibatchIterator(int, int, LastBatch, long)})
     * @param lastBatch whether to keep or drop a final partial batch
     * @param seed      the seed of the shuffles
     * @return a schedule over {@code data.numExamples()} examples
     * @throws IllegalArgumentException if the data set is null or empty, or another argument is out of range
     */
    public static MinibatchIterator over(Dataset data, int batchSize, LastBatch lastBatch, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("The data set to batch must not be null.");
        }
        return new MinibatchIterator(data.numExamples(), batchSize, lastBatch, seed);
    }

    /**
     * Returns the number of examples.
     *
     * @return {@code n ≥ 1}
     */
    public int numExamples() {
        return numExamples;
    }

    /**
     * Returns the batch size.
     *
     * @return the size of every full batch
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the last-batch policy.
     *
     * @return whether a final partial batch is kept or dropped
     */
    public LastBatch lastBatch() {
        return lastBatch;
    }

    /**
     * Returns the seed.
     *
     * @return the seed of the shuffles
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the number of batches per epoch.
     *
     * @return {@code ceil(n / batchSize)} for {@link LastBatch#KEEP}, {@code floor(n / batchSize)} for
     *     {@link LastBatch#DROP}; always {@code ≥ 1}
     */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * Returns the order in which an epoch visits the examples.
     *
     * @param epoch the epoch, {@code ≥ 0}
     * @return a fresh permutation of {@code [0, n)}
     * @throws IllegalArgumentException if the epoch is negative
     */
    public int[] epochPermutation(long epoch) {
        requireNonNegative("epoch", epoch);
        return permutation(epoch).clone();
    }

    /**
     * Returns all batches of an epoch.
     *
     * @param epoch the epoch, {@code ≥ 0}
     * @return {@code batchesPerEpoch()} fresh index arrays, in order
     * @throws IllegalArgumentException if the epoch is negative
     */
    public int[][] epochBatches(long epoch) {
        requireNonNegative("epoch", epoch);
        int[][] batches = new int[batchesPerEpoch][];
        for (int b = 0; b < batchesPerEpoch; b++) {
            batches[b] = slice(permutation(epoch), b);
        }
        return batches;
    }

    /**
     * Returns the batch used at a global step.
     *
     * @param step the step, {@code ≥ 0}
     * @return a fresh array of example indices: batch {@code step mod batchesPerEpoch()} of epoch
     *     {@code step / batchesPerEpoch()}
     * @throws IllegalArgumentException if the step is negative
     */
    public int[] batchAt(long step) {
        requireNonNegative("step", step);
        return slice(permutation(step / batchesPerEpoch), (int) (step % batchesPerEpoch));
    }

    /**
     * Returns the examples of the batch used at a global step.
     *
     * @param data the data set, with exactly {@code numExamples()} examples
     * @param step the step, {@code ≥ 0}
     * @return {@code data.subset(batchAt(step))}
     * @throws IllegalArgumentException if the data set has the wrong size or the step is negative
     */
    public Dataset sliceAt(Dataset data, long step) {
        requireMatching(data);
        return data.subset(batchAt(step));
    }

    /**
     * Always returns {@code true}: the stream of batches is unbounded.
     *
     * @return {@code true}
     */
    @Override
    public boolean hasNext() {
        return true;
    }

    /**
     * Returns the batch at the current position and advances by one step.
     *
     * @return {@code batchAt(position())} before the call
     */
    @Override
    public int[] next() {
        return batchAt(position++);
    }

    /**
     * Returns the examples of the batch at the current position and advances by one step.
     *
     * @param data the data set, with exactly {@code numExamples()} examples
     * @return {@code data.subset(batchAt(position()))} before the call
     * @throws IllegalArgumentException if the data set has the wrong size
     */
    public Dataset nextSlice(Dataset data) {
        requireMatching(data);
        return data.subset(next());
    }

    /**
     * Returns the iterator position.
     *
     * @return the step that the next call of {@link #next()} returns
     */
    public long position() {
        return position;
    }

    /**
     * Returns the epoch of the iterator position.
     *
     * @return {@code position() / batchesPerEpoch()}
     */
    public long epoch() {
        return position / batchesPerEpoch;
    }

    /**
     * Moves the iterator to a step.
     *
     * @param step the step that the next call of {@link #next()} returns, {@code ≥ 0}
     * @throws IllegalArgumentException if the step is negative
     */
    public void seek(long step) {
        requireNonNegative("step", step);
        position = step;
    }

    @Override
    public String toString() {
        return "MinibatchIterator[n=" + numExamples + ", batchSize=" + batchSize + ", lastBatch=" + lastBatch
                + ", seed=" + seed + ", position=" + position + "]";
    }

    // ------------------------------------------------------------------------------------------------

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            SplittableRandom random = new SplittableRandom(mix(seed + GOLDEN_GAMMA * (epoch + 1)));
            int[] order = new int[numExamples];
            for (int i = 0; i < numExamples; i++) {
                order[i] = i;
            }
            for (int i = numExamples - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            cachedPermutation = order;
            cachedEpoch = epoch;
        }
        return cachedPermutation;
    }

    private int[] slice(int[] permutation, int batch) {
        int from = batch * batchSize;
        int to = Math.min(from + batchSize, numExamples);
        int[] indices = new int[to - from];
        System.arraycopy(permutation, from, indices, 0, indices.length);
        return indices;
    }

    /** The SplitMix64 finaliser (Stafford variant 13), decorrelating the seeds of successive epochs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void requireMatching(Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException("The data set to slice must not be null.");
        }
        if (data.numExamples() != numExamples) {
            throw new IllegalArgumentException("Data set '" + data.name() + "' has " + data.numExamples()
                    + " examples, but this minibatch schedule was built for " + numExamples + ".");
        }
    }

    private static void requireNonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("The " + what + " must be at least 0, but was " + value + ".");
        }
    }
}
