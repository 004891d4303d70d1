package org.hypergrad4j.bilevel.hyper;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * How an unconstrained raw hyperparameter {@code θ} (the tensor the optimiser moves) maps to its effective
 * value {@code c(θ)} (what the loss uses):
 * <ul>
 *   <li>{@code LOG}: {@code c = exp(θ)}, values in (0, ∞) — the paper's {@code exp(λ)} weight decay;</li>
 *   <li>{@code SOFTPLUS}: {@code c = log(1 + exp(θ))}, values in (0, ∞);</li>
 *   <li>{@code RANGE}: {@code c = lo + (hi − lo)·σ(θ)}, values in (lo, hi);</li>
 *   <li>{@code NONE}: {@code c = θ}.</li>
 * </ul>
 */
public record Constraint(Kind kind, double lo, double hi) {

    /** The mapping's family. */
    public enum Kind { NONE, LOG, SOFTPLUS, RANGE }

    public Constraint {
        if (kind == null) {
            throw new IllegalArgumentException("A constraint needs a kind.");
        }
        if (kind == Kind.RANGE && !(lo < hi && Double.isFinite(lo) && Double.isFinite(hi))) {
            throw new IllegalArgumentException("A range constraint needs finite lo < hi, got [" + lo + ", " + hi + "].");
        }
    }

    public static Constraint none() {
        return new Constraint(Kind.NONE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public static Constraint log() {
        return new Constraint(Kind.LOG, 0, Double.POSITIVE_INFINITY);
    }

    public static Constraint softplus() {
        return new Constraint(Kind.SOFTPLUS, 0, Double.POSITIVE_INFINITY);
    }

    public static Constraint range(double lo, double hi) {
        return new Constraint(Kind.RANGE, lo, hi);
    }

    /** {@code c(θ)} as graph nodes. */
    public SDVariable apply(SameDiff sd, SDVariable raw) {
        return switch (kind) {
            case NONE -> raw;
            case LOG -> sd.math.exp(raw);
            case SOFTPLUS -> sd.nn.softplus(raw);
            case RANGE -> sd.nn.sigmoid(raw).mul(hi - lo).add(lo);
        };
    }

    /** {@code c(θ)} for one number. */
    public double forward(double raw) {
        return switch (kind) {
            case NONE -> raw;
            case LOG -> Math.exp(raw);
            case SOFTPLUS -> raw > 30 ? raw : Math.log1p(Math.exp(raw));
            case RANGE -> lo + (hi - lo) / (1 + Math.exp(-raw));
        };
    }

    /**
     * {@code θ = c⁻¹(value)}.
     *
     * @throws IllegalArgumentException if {@code value} lies outside the constraint's open range
     */
    public double inverse(double value, String name) {
        boolean inside = switch (kind) {
            case NONE -> Double.isFinite(value);
            case LOG, SOFTPLUS -> value > 0 && Double.isFinite(value);
            case RANGE -> value > lo && value < hi;
        };
        if (!inside) {
            throw new IllegalArgumentException("Initial value " + value + " of hyperparameter '" + name + "' lies outside "
                    + describeRange() + " allowed by its " + kind + " constraint.");
        }
        return switch (kind) {
            case NONE -> value;
            case LOG -> Math.log(value);
            case SOFTPLUS -> value > 30 ? value : Math.log(Math.expm1(value));
            case RANGE -> {
                double p = (value - lo) / (hi - lo);
                yield Math.log(p / (1 - p));
            }
        };
    }

    /** The open range of effective values, e.g. {@code (0, ∞)}. */
    public String describeRange() {
        return switch (kind) {
            case NONE -> "(−∞, ∞)";
            case LOG, SOFTPLUS -> "(0, ∞)";
            case RANGE -> "(" + lo + ", " + hi + ")";
        };
    }
}
