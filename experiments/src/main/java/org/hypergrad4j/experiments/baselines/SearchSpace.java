package org.hypergrad4j.experiments.baselines;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Named hyperparameter dimensions, in a fixed order (the order of declaration), over which black-box
 * searches propose points.
 *
 * <p>A point is a {@code Map<String, Double>} with one value per dimension, iterated in dimension order.
 * Names match {@code [A-Za-z_][A-Za-z0-9_.-]*}, so they can also serve as metric columns.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *         .logUniform("weight_decay", 1e-6, 1e-1)
 *         .uniform("momentum", 0.0, 0.99)
 *         .intRange("hidden_layers", 1, 4)
 *         .build();
 * }</pre>
 *
 * @param dimensions the dimensions by name, in order; copied into an unmodifiable, order-preserving map
 */
public record SearchSpace(Map<String, Dimension> dimensions) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    /**
     * Validates and copies the dimensions.
     *
     * @param dimensions the dimensions by name, in order; copied into an unmodifiable, order-preserving map
     * @throws IllegalArgumentException if there is no dimension, a name is invalid, or a dimension is null
     */
    public SearchSpace {
        if (dimensions == null || dimensions.isEmpty()) {
            throw new IllegalArgumentException("A search space needs at least one dimension, but got "
                    + (dimensions == null ? "null" : "none") + ".");
        }
        for (Map.Entry<String, Dimension> e : dimensions.entrySet()) {
            checkName(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("The dimension \"" + e.getKey() + "\" of the search space is null.");
            }
        }
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /**
     * Starts a search space.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the dimension names.
     *
     * @return an unmodifiable list, in dimension order
     */
    public List<String> names() {
        return List.copyOf(dimensions.keySet());
    }

    /**
     * Returns the number of dimensions.
     *
     * @return at least 1
     */
    public int size() {
        return dimensions.size();
    }

    /**
     * Returns a dimension.
     *
     * @param name its name
     * @return the dimension
     * @throws IllegalArgumentException if there is none of that name
     */
    public Dimension dimension(String name) {
        Dimension d = dimensions.get(name);
        if (d == null) {
            throw new IllegalArgumentException("The search space has no dimension \"" + name + "\"; its dimensions are "
                    + dimensions.keySet() + ".");
        }
        return d;
    }

    /**
     * Maps a point of the unit cube to the space, coordinate {@code i} through dimension {@code i}'s
     * {@link Dimension#fromUnit(double)}.
     *
     * @param unit one coordinate in {@code [0, 1]} per dimension, in dimension order
     * @return the point, an unmodifiable map in dimension order
     * @throws IllegalArgumentException if the array's length differs from {@link #size()} or a coordinate is
     *                                  outside {@code [0, 1]}
     */
    public Map<String, Double> fromUnit(double[] unit) {
        if (unit == null || unit.length != dimensions.size()) {
            throw new IllegalArgumentException("A unit-cube point of this search space needs " + dimensions.size()
                    + " coordinates, one per dimension " + dimensions.keySet() + ", but got "
                    + (unit == null ? "null" : unit.length) + ".");
        }
        Map<String, Double> point = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Dimension> e : dimensions.entrySet()) {
            point.put(e.getKey(), e.getValue().fromUnit(unit[i++]));
        }
        return Collections.unmodifiableMap(point);
    }

    /**
     * Tells whether a point belongs to the space: it has exactly this space's names and every value lies in its
     * dimension.
     *
     * @param point a point
     * @return whether it belongs
     */
    public boolean contains(Map<String, Double> point) {
        if (point == null || !point.keySet().equals(dimensions.keySet())) {
            return false;
        }
        for (Map.Entry<String, Dimension> e : dimensions.entrySet()) {
            Double value = point.get(e.getKey());
            if (value == null || !e.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Search-space dimension names must match [A-Za-z_][A-Za-z0-9_.-]*, but got "
                    + (name == null ? "null" : "\"" + name + "\"") + ".");
        }
    }

    /** Builds a search space dimension by dimension, in order. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Dimension> dimensions = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a dimension.
         *
         * @param name      a new name, matching {@code [A-Za-z_][A-Za-z0-9_.-]*}
         * @param dimension the dimension
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid or taken, or the dimension is null
         */
        public Builder add(String name, Dimension dimension) {
            checkName(name);
            if (dimension == null) {
                throw new IllegalArgumentException("The dimension \"" + name + "\" must not be null.");
            }
            if (dimensions.containsKey(name)) {
                throw new IllegalArgumentException("The search space already has a dimension \"" + name
                        + "\"; names must be unique.");
            }
            dimensions.put(name, dimension);
            return this;
        }

        /**
         * Adds a {@link LogUniform} dimension.
         *
         * @param name a new name
         * @param lo   the lower end, {@code > 0}
         * @param hi   the upper end, {@code > lo}
         * @return this builder
         * @throws IllegalArgumentException if the name or range is invalid
         */
        public Builder logUniform(String name, double lo, double hi) {
            return add(name, new LogUniform(lo, hi));
        }

        /**
         * Adds a {@link Uniform} dimension.
         *
         * @param name a new name
         * @param lo   the lower end
         * @param hi   the upper end, {@code > lo}
         * @return this builder
         * @throws IllegalArgumentException if the name or range is invalid
         */
        public Builder uniform(String name, double lo, double hi) {
            return add(name, new Uniform(lo, hi));
        }

        /**
         * Adds an {@link IntRange} dimension.
         *
         * @param name a new name
         * @param lo   the smallest integer
         * @param hi   the largest integer, {@code ≥ lo}
         * @return this builder
         * @throws IllegalArgumentException if the name or range is invalid
         */
        public Builder intRange(String name, int lo, int hi) {
            return add(name, new IntRange(lo, hi));
        }

        /**
         * Builds the space.
         *
         * @return the space
         * @throws IllegalArgumentException if no dimension was added
         */
        public SearchSpace build() {
            return new SearchSpace(dimensions);
        }
    }
}
