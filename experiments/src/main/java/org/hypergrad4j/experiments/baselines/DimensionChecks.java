package org.hypergrad4j.experiments.baselines;

/** Argument checks shared by the {@link Dimension} kinds. */
final class DimensionChecks {

    private DimensionChecks() {
    }

    /**
     * Checks a unit-interval coordinate.
     *
     * @param u the coordinate
     * @throws IllegalArgumentException if it is not in {@code [0, 1]}
     */
    static void checkUnit(double u) {
        if (!(u >= 0.0 && u <= 1.0)) {
            throw new IllegalArgumentException("A unit-interval coordinate must lie in [0, 1], but was " + u + ".");
        }
    }

    /**
     * Checks a number of grid points.
     *
     * @param points the number of grid points
     * @param max    the largest allowed
     * @throws IllegalArgumentException if it is not in {@code [1, max]}
     */
    static void checkGridPoints(int points, long max) {
        if (points < 1 || points > max) {
            throw new IllegalArgumentException("The number of grid points must lie in [1, " + max + "], but was " + points
                    + ".");
        }
    }
}
