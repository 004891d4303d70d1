package org.hypergrad4j.experiments.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Random search: a fixed number of points drawn in the unit cube and mapped to the space with
 * {@link SearchSpace#fromUnit(double[])}.
 *
 * <h2>Sampling</h2>
 * <ul>
 *   <li>{@link Sobol}: the Sobol low-discrepancy sequence of Commons Math 3.6.1
 *       ({@link SobolSequenceGenerator}, Joe-Kuo direction numbers, at most {@value #MAX_SOBOL_DIMENSIONS}
 *       dimensions), without its first point (the origin, a corner of the space). The first
 *       {@code 2^m − 1} points returned are then the points {@code 1 … 2^m − 1} of a {@code (t, m, s)}-net: in
 *       one dimension, every interval {@code [j / 2^m, (j + 1) / 2^m)} with {@code j ≥ 1} holds exactly one
 *       point, so the largest gap is at most {@code 2^(1 − m)}. Deterministic: no seed.</li>
 *   <li>{@link PseudoRandom}: independent uniform coordinates from a {@link SplittableRandom} with the given
 *       seed, drawn point by point, coordinate by coordinate.</li>
 * </ul>
 */
public final class RandomSearch implements Search {

    /** The most dimensions Commons Math's built-in Sobol direction numbers support. */
    public static final int MAX_SOBOL_DIMENSIONS = 1000;
    /** The most points of one random search. */
    public static final int MAX_POINTS = 1_000_000;

    /** How a random search draws points in the unit cube. */
    public sealed interface Sampling permits Sobol, PseudoRandom {
    }

    /** Quasi-random points of the Sobol sequence, first point skipped. */
    public record Sobol() implements Sampling {
    }

    /**
     * Pseudo-random points from a seeded {@link SplittableRandom}.
     *
     * @param seed the seed
     */
    public record PseudoRandom(long seed) implements Sampling {
    }

    private final SearchSpace space;
    private final Sampling sampling;
    private final List<Map<String, Double>> points;

    /**
     * Creates a random search.
     *
     * @param space    the search space
     * @param trials   the number of points, in {@code [1, 1000000]}
     * @param sampling {@code new RandomSearch.Sobol()} or {@code new RandomSearch.PseudoRandom(seed)}
     * @throws IllegalArgumentException if an argument is null, {@code trials} is out of range, or Sobol sampling
     *                                  is asked for more than {@value #MAX_SOBOL_DIMENSIONS} dimensions
     */
    public RandomSearch(SearchSpace space, int trials, Sampling sampling) {
        if (space == null || sampling == null) {
            throw new IllegalArgumentException("A random search needs a search space and a sampling, but got space="
                    + space + ", sampling=" + sampling + ".");
        }
        if (trials < 1 || trials > MAX_POINTS) {
            throw new IllegalArgumentException("The number of random-search trials must lie in [1, " + MAX_POINTS
                    + "], but was " + trials + ".");
        }
        List<Map<String, Double>> list = new ArrayList<>(trials);
        for (double[] unit : unitPoints(space.size(), trials, sampling)) {
            list.add(space.fromUnit(unit));
        }
        this.space = space;
        this.sampling = sampling;
        this.points = Collections.unmodifiableList(list);
    }

    /**
     * Draws points in the unit cube as described on the class.
     *
     * @param dimensions the cube's dimension, at least 1 (at most {@value #MAX_SOBOL_DIMENSIONS} for Sobol)
     * @param count      the number of points, at least 0
     * @param sampling   the sampling
     * @return {@code count} arrays of {@code dimensions} coordinates in {@code [0, 1]}
     * @throws IllegalArgumentException if an argument is out of range or null
     */
    public static double[][] unitPoints(int dimensions, int count, Sampling sampling) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("The unit cube needs at least 1 dimension, but got " + dimensions + ".");
        }
        if (count < 0) {
            throw new IllegalArgumentException("The number of points must be at least 0, but was " + count + ".");
        }
        if (sampling == null) {
            throw new IllegalArgumentException("The sampling must not be null; use Sobol or PseudoRandom.");
        }
        double[][] result = new double[count][];
        if (sampling instanceof PseudoRandom pseudo) {
            SplittableRandom random = new SplittableRandom(pseudo.seed());
            for (int i = 0; i < count; i++) {
                result[i] = new double[dimensions];
                for (int d = 0; d < dimensions; d++) {
                    result[i][d] = random.nextDouble();
                }
            }
            return result;
        }
        if (dimensions > MAX_SOBOL_DIMENSIONS) {
            throw new IllegalArgumentException("Sobol sampling supports at most " + MAX_SOBOL_DIMENSIONS
                    + " dimensions, but the space has " + dimensions + "; use PseudoRandom sampling.");
        }
        SobolSequenceGenerator sobol = new SobolSequenceGenerator(dimensions);
        sobol.nextVector(); // the origin; note that skipTo(1) would also consume point 1, as it returns it
        for (int i = 0; i < count; i++) {
            result[i] = sobol.nextVector();
        }
        return result;
    }

    @Override
    public SearchSpace space() {
        return space;
    }

    /**
     * Returns the sampling.
     *
     * @return how the points were drawn
     */
    public Sampling sampling() {
        return sampling;
    }

    @Override
    public List<Map<String, Double>> points() {
        return points;
    }
}
