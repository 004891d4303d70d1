package org.hypergrad4j.hypernets.hypernet;

/**
 * The interval {@code [lower, upper]} of a hyperparameter {@code λ} (here a log weight decay) that a
 * hypernetwork is trained on. It maps {@code λ} to {@code γ = (λ − lower) / (upper − lower)}, which is in
 * {@code [0, 1]} inside the range; the magnitude-invariant encoding (Ortiz et al. 2024) is defined on {@code γ}.
 *
 * @param lower the smallest value, finite
 * @param upper the largest value, finite and greater than {@code lower}
 */
public record HyperparameterRange(double lower, double upper) {

    public HyperparameterRange {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(upper > lower)) {
            throw new IllegalArgumentException("A hyperparameter range needs finite bounds with lower < upper, got ["
                    + lower + ", " + upper + "].");
        }
    }

    /** {@code upper − lower}. */
    public double width() {
        return upper - lower;
    }

    /** {@code γ = (λ − lower) / (upper − lower)}. */
    public double toUnit(double lambda) {
        return (lambda - lower) / width();
    }

    /** {@code λ} clamped to {@code [lower, upper]}. */
    public double clamp(double lambda) {
        return Math.max(lower, Math.min(upper, lambda));
    }

    /** Whether {@code lower ≤ λ ≤ upper}. */
    public boolean contains(double lambda) {
        return lambda >= lower && lambda <= upper;
    }

    /** {@code count ≥ 2} evenly spaced values from {@code lower} to {@code upper}, both included. */
    public double[] grid(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("A grid over " + this + " needs at least 2 points, got " + count + ".");
        }
        double[] g = new double[count];
        for (int i = 0; i < count; i++) {
            g[i] = lower + width() * i / (count - 1);
        }
        return g;
    }

    @Override
    public String toString() {
        return "[" + lower + ", " + upper + "]";
    }
}
