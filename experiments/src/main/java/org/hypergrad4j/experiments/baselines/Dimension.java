package org.hypergrad4j.experiments.baselines;

/**
 * One named axis of a {@link SearchSpace}: a range of values and two ways of choosing values in it, a
 * regular grid ({@link #grid(int)}) and a map from the unit interval ({@link #fromUnit(double)}), through
 * which uniform, quasi-random and pseudo-random samples of {@code [0, 1]} become samples of the range.
 *
 * <p>The three kinds: {@link LogUniform} (positive scales such as weight decays and learning rates, uniform in
 * the logarithm), {@link Uniform} (uniform in the value) and {@link IntRange} (each integer equally likely).
 * Every value a dimension produces lies in its closed range; {@link #contains(double)} tells.
 */
public sealed interface Dimension permits LogUniform, Uniform, IntRange {

    /** The largest number of grid points along one dimension. */
    int MAX_GRID_POINTS = 1_000_000;

    /**
     * Maps a point of the unit interval to the range. The map is monotone non-decreasing, sends 0 to the lower
     * end and 1 to the upper end, and sends a uniform {@code u} to this dimension's distribution.
     *
     * @param u a number in {@code [0, 1]}
     * @return a value in the range
     * @throws IllegalArgumentException if {@code u} is not in {@code [0, 1]}
     */
    double fromUnit(double u);

    /**
     * Returns {@code points} values spread regularly over the range, in increasing order.
     *
     * @param points the number of values, in {@code [1, MAX_GRID_POINTS]} (for {@link IntRange}, also at most the
     *               number of integers)
     * @return the values
     * @throws IllegalArgumentException if {@code points} is out of range
     */
    double[] grid(int points);

    /**
     * Tells whether a value belongs to the range (for {@link IntRange}, whether it is one of its integers).
     *
     * @param value a value
     * @return whether a search could propose it
     */
    boolean contains(double value);
}
