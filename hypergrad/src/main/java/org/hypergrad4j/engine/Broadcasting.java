package org.hypergrad4j.engine;

/** Index arithmetic for broadcasting and strided copies over C-order tensors. */
final class Broadcasting {
    private Broadcasting() {
    }

    /** C-order strides of {@code shape}. */
    static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Strides of {@code shape} broadcast (right-aligned) to {@code target}: 0 along broadcast axes. */
    static long[] strides(long[] shape, long[] target) {
        long[] own = strides(shape);
        long[] st = new long[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            st[i] = i < lead || shape[i - lead] == 1 ? 0 : own[i - lead];
        }
        return st;
    }

    /** For every C-order position of {@code shape}, the source offset {@code Σ index_k · strides_k}. */
    static int[] indices(long[] strides, long[] shape, int n) {
        int[] idx = new int[n];
        int rank = shape.length;
        if (rank == 0) {
            if (n > 0) {
                idx[0] = 0;
            }
            return idx;
        }
        long[] counter = new long[rank];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            idx[i] = (int) offset;
            for (int k = rank - 1; k >= 0; k--) {
                counter[k]++;
                offset += strides[k];
                if (counter[k] < shape[k]) {
                    break;
                }
                offset -= strides[k] * counter[k];
                counter[k] = 0;
            }
        }
        return idx;
    }
}
