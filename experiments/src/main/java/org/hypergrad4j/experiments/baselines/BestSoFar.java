package org.hypergrad4j.experiments.baselines;

import java.util.Arrays;

/**
 * The best validation loss a search had found against the training steps it had spent: point {@code i} is
 * {@code (cumulative steps after trial i, lowest finite validation loss among trials 0 … i)}, the loss being
 * {@code NaN} until the first trial with a finite loss. Non-increasing in the loss (once finite) and
 * non-decreasing in the steps. Read it at a gradient-based method's cost with {@link #at(long)}.
 */
public final class BestSoFar {

    private final long[] steps;
    private final double[] bestLoss;

    /**
     * Creates a curve.
     *
     * @param steps    the cumulative steps, non-decreasing and non-negative
     * @param bestLoss the best losses, as many as steps, non-increasing once finite; copied
     * @throws IllegalArgumentException if the arrays are null or of different lengths, or break the orders
     */
    public BestSoFar(long[] steps, double[] bestLoss) {
        if (steps == null || bestLoss == null || steps.length != bestLoss.length) {
            throw new IllegalArgumentException("A best-so-far curve needs as many losses as step counts, but got "
                    + (steps == null ? "null" : steps.length) + " step counts and "
                    + (bestLoss == null ? "null" : bestLoss.length) + " losses.");
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] < 0 || (i > 0 && steps[i] < steps[i - 1])) {
                throw new IllegalArgumentException("Step counts of a best-so-far curve must be non-negative and "
                        + "non-decreasing, but entry " + i + " is " + steps[i] + ".");
            }
            if (i > 0 && !Double.isNaN(bestLoss[i - 1]) && !(bestLoss[i] <= bestLoss[i - 1])) {
                throw new IllegalArgumentException("Losses of a best-so-far curve must not increase once finite, but entry "
                        + i + " is " + bestLoss[i] + " after " + bestLoss[i - 1] + ".");
            }
        }
        this.steps = steps.clone();
        this.bestLoss = bestLoss.clone();
    }

    /**
     * Returns the cumulative steps.
     *
     * @return a fresh copy, one entry per trial
     */
    public long[] steps() {
        return steps.clone();
    }

    /**
     * Returns the best losses.
     *
     * @return a fresh copy, one entry per trial
     */
    public double[] bestLoss() {
        return bestLoss.clone();
    }

    /**
     * Returns the number of points.
     *
     * @return the number of trials
     */
    public int size() {
        return steps.length;
    }

    /**
     * Returns the best loss among the trials that had finished within a number of training steps: the loss of
     * the last point whose cumulative steps are {@code ≤ budget}.
     *
     * @param budget training steps, {@code ≥ 0}
     * @return that loss, or {@code NaN} if no trial with a finite loss had finished within {@code budget}
     * @throws IllegalArgumentException if {@code budget < 0}
     */
    public double at(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("A training-step budget must be at least 0, but was " + budget + ".");
        }
        double best = Double.NaN;
        for (int i = 0; i < steps.length && steps[i] <= budget; i++) {
            best = bestLoss[i];
        }
        return best;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BestSoFar b && Arrays.equals(steps, b.steps) && Arrays.equals(bestLoss, b.bestLoss);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(steps) + Arrays.hashCode(bestLoss);
    }

    @Override
    public String toString() {
        return "BestSoFar[steps=" + Arrays.toString(steps) + ", bestLoss=" + Arrays.toString(bestLoss) + "]";
    }
}
