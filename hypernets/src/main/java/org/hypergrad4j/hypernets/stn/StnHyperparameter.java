package org.hypergrad4j.hypernets.stn;

import java.util.Objects;

/**
 * One hyperparameter tuned by a self-tuning network, kept unconstrained ({@code u ∈ ℝ}) and mapped into its
 * range by a stretched sigmoid (MacKay et al. 2019):
 * <ul>
 *   <li>continuous, linear scale: {@code value = lower + (upper − lower)·σ(u)};</li>
 *   <li>continuous, log scale: {@code value = exp(ln lower + (ln upper − ln lower)·σ(u))} (for decays);</li>
 *   <li>discrete (integers {@code lower … upper}): {@code value = min(upper, ⌊lower + (upper + 1 − lower)·σ(u)⌋)}.
 *       The floor has no useful derivative, so a discrete hyperparameter's gradient reaches {@code u} only
 *       through the best-response layers, which take {@code u} as input.</li>
 * </ul>
 *
 * @param name    unique name ({@code dropout.hidden1}, {@code cutout.length}, …)
 * @param kind    how {@code u} maps to a value
 * @param lower   smallest value (for {@link Kind#LOG}, &gt; 0)
 * @param upper   largest value, &gt; lower
 * @param initial starting value, in {@code [lower, upper]}
 */
public record StnHyperparameter(String name, Kind kind, double lower, double upper, double initial) {

    public enum Kind { LINEAR, LOG, DISCRETE }

    /** Dropout rates are kept at most 0.95, as in the paper, so that the inverted mask {@code 1/(1−p)} stays bounded. */
    public static final double MAX_DROPOUT = 0.95;

    public StnHyperparameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A hyperparameter needs a non-blank name.");
        }
        if (!(lower < upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("Hyperparameter '" + name + "' needs finite lower < upper; got [" + lower + ", " + upper + "].");
        }
        if (kind == Kind.LOG && lower <= 0) {
            throw new IllegalArgumentException("Log-scale hyperparameter '" + name + "' needs lower > 0; got " + lower + ".");
        }
        if (kind == Kind.DISCRETE && (lower != Math.rint(lower) || upper != Math.rint(upper))) {
            throw new IllegalArgumentException("Discrete hyperparameter '" + name + "' needs integer bounds; got [" + lower + ", " + upper + "].");
        }
        if (!(initial >= lower && initial <= upper)) {
            throw new IllegalArgumentException("Hyperparameter '" + name + "' starts at " + initial + ", outside its range [" + lower + ", "
                    + upper + "].");
        }
    }

    /** A dropout rate in {@code [0, 0.95]}. */
    public static StnHyperparameter dropout(String name, double initial) {
        return new StnHyperparameter(name, Kind.LINEAR, 0.0, MAX_DROPOUT, initial);
    }

    /** A continuous hyperparameter on a linear scale. */
    public static StnHyperparameter linear(String name, double lower, double upper, double initial) {
        return new StnHyperparameter(name, Kind.LINEAR, lower, upper, initial);
    }

    /** A positive hyperparameter on a log scale (weight decay, noise levels spanning decades). */
    public static StnHyperparameter logScale(String name, double lower, double upper, double initial) {
        return new StnHyperparameter(name, Kind.LOG, lower, upper, initial);
    }

    /** An integer hyperparameter in {@code lower … upper} (cutout length, number of holes). */
    public static StnHyperparameter discrete(String name, int lower, int upper, int initial) {
        return new StnHyperparameter(name, Kind.DISCRETE, lower, upper, initial);
    }

    /** The value of unconstrained {@code u}. */
    public double value(double u) {
        double s = sigmoid(u);
        return switch (kind) {
            case LINEAR -> lower + (upper - lower) * s;
            case LOG -> Math.exp(Math.log(lower) + (Math.log(upper) - Math.log(lower)) * s);
            case DISCRETE -> Math.min(upper, Math.floor(lower + (upper + 1 - lower) * s));
        };
    }

    /**
     * The unconstrained {@code u} whose value is {@code v}; for a discrete hyperparameter, the middle of
     * {@code v}'s interval, so that small moves of {@code u} do not change the value at once.
     */
    public double unconstrained(double v) {
        if (!(v >= lower && v <= upper)) {
            throw new IllegalArgumentException("Hyperparameter '" + name + "' cannot take " + v + ", outside [" + lower + ", " + upper + "].");
        }
        double fraction = switch (kind) {
            case LINEAR -> (v - lower) / (upper - lower);
            case LOG -> (Math.log(v) - Math.log(lower)) / (Math.log(upper) - Math.log(lower));
            case DISCRETE -> (Math.rint(v) + 0.5 - lower) / (upper + 1 - lower);
        };
        // Keep the end points finite: σ⁻¹(0) and σ⁻¹(1) are ∓∞.
        double f = Math.min(1 - 1e-6, Math.max(1e-6, fraction));
        return Math.log(f / (1 - f));
    }

    static double sigmoid(double u) {
        return 1.0 / (1.0 + Math.exp(-u));
    }
}
