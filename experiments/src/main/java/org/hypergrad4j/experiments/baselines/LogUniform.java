package org.hypergrad4j.experiments.baselines;

/**
 * Values in {@code [lo, hi]} spread uniformly in their logarithm, for positive scales such as weight decays
 * and learning rates.
 *
 * <ul>
 *   <li>{@code fromUnit(u) = exp(ln lo + u (ln hi − ln lo))}, exactly {@code lo} at 0 and {@code hi} at 1;</li>
 *   <li>{@code grid(1)} is the geometric mean {@code √(lo hi)}; {@code grid(k)} for {@code k ≥ 2} is
 *       {@code fromUnit(i / (k − 1))} for {@code i = 0 … k − 1}, evenly spaced in the logarithm with both ends
 *       included.</li>
 * </ul>
 *
 * @param lo the lower end, finite and {@code > 0}
 * @param hi the upper end, finite and {@code > lo}
 */
public record LogUniform(double lo, double hi) implements Dimension {

    /**
     * Validates the range.
     *
     * @param lo the lower end, finite and {@code > 0}
     * @param hi the upper end, finite and {@code > lo}
     * @throws IllegalArgumentException unless {@code 0 < lo < hi < ∞}
     */
    public LogUniform {
        if (!(lo > 0 && Double.isFinite(lo) && hi > lo && Double.isFinite(hi))) {
            throw new IllegalArgumentException("A log-uniform range needs 0 < lo < hi < ∞, but got lo=" + lo + ", hi=" + hi
                    + ".");
        }
    }

    @Override
    public double fromUnit(double u) {
        DimensionChecks.checkUnit(u);
        if (u == 0.0) {
            return lo;
        }
        if (u == 1.0) {
            return hi;
        }
        double value = Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
        return Math.min(hi, Math.max(lo, value));
    }

    @Override
    public double[] grid(int points) {
        DimensionChecks.checkGridPoints(points, MAX_GRID_POINTS);
        if (points == 1) {
            return new double[] {Math.min(hi, Math.max(lo, Math.sqrt(lo) * Math.sqrt(hi)))};
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
