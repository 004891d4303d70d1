package org.hypergrad4j.autodiff.internal;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Sums that survive a bug of ND4J 1.0.0-M2.1: a reduction of a rank-1 or rank-2 "vector" over axes of
 * size 1 (e.g. {@code [1, n].sum(0)}, as happens for a batch of one) throws a NullPointerException
 * inside {@code BaseReduceOp.noOp}. Arrays of rank 3 or more never take that path, so such sums are
 * computed on the array lifted to rank 3 with trailing size-1 axes.
 */
public final class Reductions {
    private Reductions() {
    }

    /**
     * {@code Σ} over {@code axes} with kept dimensions, for {@code v} of inferred shape {@code shape}
     * ({@code -1} for dynamic dimensions).
     */
    public static SDVariable sumKeepDims(SameDiff sd, SDVariable v, long[] shape, int[] axes) {
        boolean mayBeUnit = false;
        for (int a : axes) {
            mayBeUnit |= shape[a] <= 1;
        }
        return sumKeepDims(sd, v, shape.length, axes, mayBeUnit);
    }

    /**
     * {@code Σ} over {@code axes} with kept dimensions.
     *
     * @param rank         the rank of {@code v}
     * @param mayBeUnitAxis whether some reduced axis may have size 1 at run time (a dynamic axis)
     */
    public static SDVariable sumKeepDims(SameDiff sd, SDVariable v, int rank, int[] axes, boolean mayBeUnitAxis) {
        if (rank == 0) {
            return v;
        }
        if (!mayBeUnitAxis || rank >= 3) {
            return v.sum(true, axes);
        }
        SDVariable lifted = v;
        for (int r = rank; r < 3; r++) {
            lifted = sd.expandDims(lifted, r);
        }
        SDVariable summed = lifted.sum(true, axes);
        for (int r = 2; r >= rank; r--) {
            summed = sd.squeeze(summed, r);
        }
        return summed;
    }
}
