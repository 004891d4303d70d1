package org.hypergrad4j.experiments.baselines;

/**
 * The integers {@code lo, lo + 1, …, hi}, each equally likely, e.g. a number of layers or of inner steps.
 * Values are reported as doubles with integral values.
 *
 * <ul>
 *   <li>With {@code n = hi − lo + 1}: {@code fromUnit(u) = lo + min(n − 1, floor(u n))}, so each integer
 *       receives a sub-interval of length {@code 1 / n} of the unit interval;</li>
 *   <li>{@code grid(1)} is the midpoint rounded half up, {@code lo + floor((hi − lo + 1) / 2)};
 *       {@code grid(k)} for {@code 2 ≤ k ≤ n} is {@code lo + round(i (hi − lo) / (k − 1))} for
 *       {@code i = 0 … k − 1} (rounding half up): both ends included, and distinct because the unrounded
 *       spacing is at least 1.</li>
 * </ul>
 *
 * @param lo the smallest integer
 * @param hi the largest integer, {@code ≥ lo}
 */
public record IntRange(int lo, int hi) implements Dimension {

    /**
     * Validates the range.
     *
     * @param lo the smallest integer
     * @param hi the largest integer, {@code ≥ lo}
     * @throws IllegalArgumentException if {@code hi < lo}
     */
    public IntRange {
        if (hi < lo) {
            throw new IllegalArgumentException("An integer range needs lo ≤ hi, but got lo=" + lo + ", hi=" + hi + ".");
        }
    }

    /**
     * Returns the number of integers in the range.
     *
     * @return {@code hi − lo + 1}
     */
    public long count() {
        return (long) hi - lo + 1;
    }

    @Override
    public double fromUnit(double u) {
        DimensionChecks.checkUnit(u);
        long n = count();
        long offset = Math.min(n - 1, (long) Math.floor(u * n));
        return (double) (lo + offset);
    }

    @Override
    public double[] grid(int points) {
        DimensionChecks.checkGridPoints(points, Math.min(count(), MAX_GRID_POINTS));
        long width = (long) hi - lo;
        if (points == 1) {
            return new double[] {(double) (lo + (width + 1) / 2)};
        }
        double[] values = new double[points];
        long denominator = 2L * (points - 1);
        for (int i = 0; i < points; i++) {
            // floor(i·width/(k−1) + 1/2) in exact integer arithmetic: 2·i·width < 2 · 10^6 · 2^32 fits a long.
            long offset = Math.floorDiv(2L * i * width + (points - 1), denominator);
            values[i] = (double) (lo + offset);
        }
        return values;
    }

    @Override
    public boolean contains(double value) {
        return value >= lo && value <= hi && value == Math.rint(value);
    }
}
