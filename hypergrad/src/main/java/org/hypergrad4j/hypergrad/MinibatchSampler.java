package org.hypergrad4j.hypergrad;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws minibatches of rows from full-batch placeholder arrays (all with the same number of rows, row
 * {@code i} of each belonging to example {@code i}), for the stochastic variants of the hypergradient
 * methods: call {@code k} of {@link #get()} returns minibatch {@code k} of the {@link MinibatchSchedule} of stream
 * {@link SeedStream#SAMPLER_BATCHES} under the sampler's seed (epochs of distinct rows), so a run is reproducible.
 * {@link #at(long)} gives the batch of a step without advancing (for unrolled methods, which replay steps).
 */
public final class MinibatchSampler implements Supplier<Map<String, INDArray>> {
    private final Map<String, INDArray> full;
    private final int batchSize;
    private final long seed;
    private final long rows;
    private long draws;

    public MinibatchSampler(Map<String, INDArray> full, int batchSize, long seed) {
        Objects.requireNonNull(full, "full");
        if (full.isEmpty()) {
            throw new IllegalArgumentException("No placeholder arrays to sample from.");
        }
        long n = -1;
        for (Map.Entry<String, INDArray> e : full.entrySet()) {
            long r = e.getValue().size(0);
            if (n >= 0 && r != n) {
                throw new IllegalArgumentException("Placeholder '" + e.getKey() + "' has " + r + " rows but others have " + n
                        + "; every array must hold one row per example.");
            }
            n = r;
        }
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException("Batch size must lie in [1, " + n + "], got " + batchSize + ".");
        }
        this.full = Map.copyOf(full);
        this.batchSize = batchSize;
        this.seed = seed;
        this.rows = n;
    }

    /** The next random minibatch. */
    @Override
    public Map<String, INDArray> get() {
        return at(draws++);
    }

    /** The minibatch of step {@code step}, the same on every call. */
    public Map<String, INDArray> at(long step) {
        int[] batch = MinibatchSchedule.rows((int) rows, batchSize, seed, SeedStream.SAMPLER_BATCHES, step);
        Map<String, INDArray> m = new HashMap<>();
        full.forEach((name, a) -> m.put(name, gatherRows(a, batch)));
        return m;
    }

    /** Restarts the random sequence of {@link #get()}. */
    public void reset() {
        draws = 0;
    }

    /** Rows {@code indices} of {@code a} along axis 0, any rank: the native pull-rows op on {@code a} seen as [rows, rest]. */
    static INDArray gatherRows(INDArray a, int[] indices) {
        long[] shape = a.shape().clone();
        shape[0] = indices.length;
        return Nd4j.pullRows(a.reshape(a.size(0), a.length() / a.size(0)), 1, indices).reshape(shape);
    }
}
