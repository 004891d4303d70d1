package org.hypergrad4j.experiments.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid search: the cartesian product of each dimension's {@link Dimension#grid(int)}.
 *
 * <h2>Order</h2>
 * Points are listed like nested loops over the dimensions in space order, the first dimension outermost and
 * the last one varying fastest, each dimension's values increasing. For dimensions {@code a} (values
 * {@code a0, a1}) and {@code b} ({@code b0, b1, b2}) the order is {@code (a0,b0), (a0,b1), (a0,b2), (a1,b0),
 * (a1,b1), (a1,b2)}.
 *
 * <p>The grid holds the product of the points per dimension, at most {@value #MAX_POINTS}.
 */
public final class GridSearch implements Search {

    /** The largest number of points in a grid. */
    public static final int MAX_POINTS = 1_000_000;

    private final SearchSpace space;
    private final List<Map<String, Double>> points;

    /**
     * Creates a grid with the same number of points along every dimension.
     *
     * @param space             the search space
     * @param pointsPerDimension the number of values per dimension (see {@link Dimension#grid(int)})
     * @throws IllegalArgumentException if the space is null, the count is invalid for a dimension, or the grid
     *                                  would exceed {@value #MAX_POINTS} points
     */
    public GridSearch(SearchSpace space, int pointsPerDimension) {
        this(space, uniformCounts(space, pointsPerDimension));
    }

    /**
     * Creates a grid with a number of points per dimension.
     *
     * @param space              the search space
     * @param pointsPerDimension the number of values for each dimension, by name; every dimension needs one and
     *                           no other name may appear
     * @throws IllegalArgumentException if the space is null, the counts do not match the dimensions, a count is
     *                                  invalid for its dimension, or the grid would exceed {@value #MAX_POINTS}
     *                                  points
     */
    public GridSearch(SearchSpace space, Map<String, Integer> pointsPerDimension) {
        if (space == null) {
            throw new IllegalArgumentException("A grid search needs a search space, but got null.");
        }
        if (pointsPerDimension == null || !pointsPerDimension.keySet().equals(space.dimensions().keySet())) {
            throw new IllegalArgumentException("A grid needs a number of points for exactly the dimensions "
                    + space.names() + ", but got " + (pointsPerDimension == null ? "null" : pointsPerDimension.keySet())
                    + ".");
        }
        List<String> names = space.names();
        List<double[]> axes = new ArrayList<>();
        long total = 1;
        for (String name : names) {
            Integer count = pointsPerDimension.get(name);
            if (count == null) {
                throw new IllegalArgumentException("The number of grid points for \"" + name + "\" must not be null.");
            }
            double[] axis;
            try {
                axis = space.dimension(name).grid(count);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Dimension \"" + name + "\" " + space.dimension(name) + ": "
                        + e.getMessage(), e);
            }
            axes.add(axis);
            total *= axis.length;
            if (total > MAX_POINTS) {
                throw new IllegalArgumentException("The grid " + pointsPerDimension + " has more than " + MAX_POINTS
                        + " points; use fewer points per dimension or a random search.");
            }
        }
        List<Map<String, Double>> list = new ArrayList<>((int) total);
        int[] position = new int[names.size()];
        for (long p = 0; p < total; p++) {
            Map<String, Double> point = new LinkedHashMap<>();
            for (int d = 0; d < names.size(); d++) {
                point.put(names.get(d), axes.get(d)[position[d]]);
            }
            list.add(Collections.unmodifiableMap(point));
            for (int d = names.size() - 1; d >= 0; d--) {
                if (++position[d] < axes.get(d).length) {
                    break;
                }
                position[d] = 0;
            }
        }
        this.space = space;
        this.points = Collections.unmodifiableList(list);
    }

    private static Map<String, Integer> uniformCounts(SearchSpace space, int pointsPerDimension) {
        if (space == null) {
            throw new IllegalArgumentException("A grid search needs a search space, but got null.");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : space.names()) {
            counts.put(name, pointsPerDimension);
        }
        return counts;
    }

    @Override
    public SearchSpace space() {
        return space;
    }

    @Override
    public List<Map<String, Double>> points() {
        return points;
    }

    /**
     * Returns the number of grid points.
     *
     * @return the product of the points per dimension
     */
    public int size() {
        return points.size();
    }
}
