package org.hypergrad4j.autodiff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hypergrad4j.autodiff.internal.BuiltinRules;
import org.nd4j.autodiff.functions.DifferentialFunction;

/**
 * Vector-Jacobian rules by op class, one rule per op type. Users extend it with
 * {@link #register(Class, VjpRule)}; a later registration replaces an earlier one.
 * Lookup is by the op's exact class. Not thread-safe while being modified.
 */
public final class VjpRegistry {
    private final Map<Class<? extends DifferentialFunction>, VjpRule> rules = new LinkedHashMap<>();

    private VjpRegistry() {
    }

    /** A new registry holding no rules. */
    public static VjpRegistry empty() {
        return new VjpRegistry();
    }

    /** A new, independently modifiable registry holding the built-in rules (see {@link #supportedOps()}). */
    public static VjpRegistry builtin() {
        VjpRegistry r = new VjpRegistry();
        BuiltinRules.registerAll(r);
        return r;
    }

    /** Adds or replaces the rule for ops of exactly class {@code opClass}; returns this registry. */
    public VjpRegistry register(Class<? extends DifferentialFunction> opClass, VjpRule rule) {
        rules.put(Objects.requireNonNull(opClass, "opClass"), Objects.requireNonNull(rule, "rule"));
        return this;
    }

    /** The rule for {@code op}'s class, if any. */
    public Optional<VjpRule> find(DifferentialFunction op) {
        return Optional.ofNullable(rules.get(op.getClass()));
    }

    /** Simple names of the op classes with a rule, sorted. */
    public Set<String> supportedOps() {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : rules.keySet()) {
            names.add(c.getSimpleName());
        }
        return names;
    }
}
