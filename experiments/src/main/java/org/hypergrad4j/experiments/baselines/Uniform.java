package org.hypergrad4j.experiments.baselines;

/**
 * Values in {@code [lo, hi]} spread uniformly, e.g. a momentum or a dropout rate.
 *
 * <ul>
 *   <li>{@code fromUnit(u) = lo + u (hi − lo)}, exactly {@code lo} at 0 and {@code hi} at 1;</li>
 *   <li>{@code grid(1)} is the midpoint {@code (lo + hi) / 2}; {@code grid(k)} for {@code k ≥ 2} is
 *       {@code fromUnit(i / (k − 1))} for {@code i = 0 … k − 1}, evenly spaced with both ends included.</li>
 * </ul>
 *
 * @param lo the lower end, finite
 * @param hi the upper end, finite and {@code > lo}
 */
public record Uniform(double lo, double hi) implements Dimension {

    /**
     * Validates the range.
     *
     * @param lo the lower end, finite
     * @param hi the upper end, finite and {@code > lo}
     * @throws IllegalArgumentException unless {@code −∞ < lo < hi < ∞} and {@code hi − lo} is finite
     */
    public Uniform {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && hi > lo && Double.isFinite(hi - lo))) {
            throw new IllegalArgumentException("A uniform range needs finite lo < hi (with a finite width), but got lo="
                    + lo + ", hi=" + hi + ".");
        }
    }

    @Override
    public double fromUnit(double u) {
        DimensionChecks.checkUnit(u);
        if (u == 1.0) {
            return hi;
        }
        return Math.min(hi, Math.max(lo, lo + u * (hi - lo)));
    }

    @Override
    public double[] grid(int points) {
        DimensionChecks.checkGridPoints(points, MAX_GRID_POINTS);
        if (points == 1) {
            return new double[] {lo + 0.5 * (hi - lo)};
        }
        double[] values = new double[points];
        for (int i = 0; i < points; i++) {
            values[i] = fromUnit(i / (double) (points - 1));
        }
        return values;
    }

    @Override
    public boolean contains(double value) {
        return value >= lo && value <= hi;
    }
}
