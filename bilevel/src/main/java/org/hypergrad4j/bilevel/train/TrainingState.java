package org.hypergrad4j.bilevel.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.hypergrad4j.core.ParamVector;

/**
 * Everything a trainer needs to continue exactly where it was: named values (counters, settings, histories as
 * text) and named groups of tensors (weights, hyperparameters, optimiser moments, a solver's warm start). The
 * {@link TrainingLoop} keeps one in memory as the last good state and writes one to disk as a checkpoint, so a
 * trainer declares its state once ({@code keep}, {@code keepCounter}; {@link TrainingLoop#saveState} and
 * {@link TrainingLoop#loadState} for anything else).
 *
 * <p>Tensors are copied when put, so a state never changes after it is taken. Doubles are kept exactly
 * ({@link Double#toString} round-trips). {@code source} names where a state came from (a checkpoint file),
 * for messages.
 */
public final class TrainingState {
    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, ParamVector> groups = new LinkedHashMap<>();
    private final String source;

    public TrainingState() {
        this("memory");
    }

    TrainingState(String source) {
        this.source = source;
    }

    /** Where this state came from, for messages: {@code "memory"} or a checkpoint file. */
    public String source() {
        return source;
    }

    public TrainingState put(String key, String value) {
        values.put(key, value);
        return this;
    }

    public TrainingState put(String key, long value) {
        return put(key, Long.toString(value));
    }

    public TrainingState put(String key, double value) {
        return put(key, Double.toString(value));
    }

    /** Adds a copy of {@code tensors} as group {@code group}. */
    public TrainingState put(String group, ParamVector tensors) {
        groups.put(group, tensors.dup());
        return this;
    }

    /**
     * Adds the groups {@code prefix.X} of {@code tensors} as they are: callers pass copies ({@code Optimizer.state()} and
     * {@code HypergradientMethod.carriedState()} return copies already).
     */
    public TrainingState putGroups(String prefix, Map<String, ParamVector> tensors) {
        tensors.forEach((name, v) -> groups.put(prefix + "." + name, v));
        return this;
    }

    /** The value of {@code key}, which must be present. */
    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("The training state from " + source + " lacks '" + key + "'.");
        }
        return v;
    }

    public long longValue(String key) {
        return parse(key, Long::parseLong, "an integer");
    }

    public double doubleValue(String key) {
        return parse(key, Double::parseDouble, "a number");
    }

    private <V> V parse(String key, Function<String, V> parser, String kind) {
        String v = string(key);
        try {
            return parser.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The training state from " + source + " has '" + key + "' = \"" + v + "\", not " + kind + ".");
        }
    }

    /**
     * Copies group {@code group} into {@code live}, which it must fit (same names, shapes and types).
     *
     * @param what what {@code live} belongs to, for the message ("problem", "network", …)
     */
    public void restoreInto(String group, ParamVector live, String what) {
        ParamVector v = groups.get(group);
        if (v == null) {
            throw new IllegalArgumentException("The training state from " + source + " lacks the tensors of '" + group + "'.");
        }
        try {
            live.checkCompatible(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The training state from " + source + " does not fit this " + what + ": " + e.getMessage(), e);
        }
        live.assignInPlace(v);
    }

    /** Copies of the groups {@code prefix.X} put by {@link #putGroups}, keyed by {@code X}. */
    public Map<String, ParamVector> groups(String prefix) {
        Map<String, ParamVector> m = new LinkedHashMap<>();
        groups.forEach((name, v) -> {
            if (name.startsWith(prefix + ".")) {
                m.put(name.substring(prefix.length() + 1), v.dup());
            }
        });
        return m;
    }

    /** All values, sorted by key (read-only). */
    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** All groups, in the order put (read-only). */
    Map<String, ParamVector> groups() {
        return Collections.unmodifiableMap(groups);
    }

    void putGroupAsRead(String group, ParamVector tensors) {
        groups.put(group, tensors);
    }
}
