package org.hypergrad4j.experiments.stats;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean, spread and a confidence interval of one quantity measured over repeats with different seeds.
 *
 * <h2>Formulas</h2>
 * For values {@code x_1 … x_n}:
 * <ul>
 *   <li>mean {@code m = (1/n) Σ x_i};</li>
 *   <li>sample standard deviation {@code s = √( Σ (x_i − m)² / (n − 1) )} (Bessel's correction), computed
 *       with the corrected two-pass algorithm;</li>
 *   <li>two-sided Student-t confidence interval at level {@code c}: {@code m ± h} with half-width
 *       {@code h = t_{(1+c)/2, n−1} · s / √n}, where {@code t_{p, ν}} is the {@code p}-quantile of Student's
 *       t distribution with {@code ν} degrees of freedom (Commons Math {@link TDistribution}). It assumes the
 *       values are independent draws from a normal distribution; for {@code 0 < c < 1} it covers the true mean
 *       with probability {@code c} under that assumption.</li>
 * </ul>
 *
 * <h2>A single value</h2>
 * With {@code n = 1} there is no estimate of spread: {@code s} would divide by {@code n − 1 = 0} and Student's
 * t with 0 degrees of freedom does not exist. The summary is still made, so tables of single-seed runs can be
 * printed, but {@link #standardDeviation()}, {@link #halfWidth()}, {@link #lower()} and {@link #upper()} are
 * {@code NaN}. Use {@link #hasInterval()} to tell.
 *
 * @param n                 the number of values, {@code ≥ 1}
 * @param mean              the mean, finite
 * @param standardDeviation the sample standard deviation, {@code ≥ 0}; {@code NaN} exactly when {@code n = 1}
 * @param confidence        the confidence level {@code c}, in {@code (0, 1)}
 * @param halfWidth         the interval's half-width {@code h}, {@code ≥ 0}; {@code NaN} exactly when
 *                          {@code n = 1}
 */
public record SeedSummary(int n, double mean, double standardDeviation, double confidence, double halfWidth) {

    /** The conventional confidence level, 0.95. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    /**
     * Validates the components.
     *
     * @param n the number of values, {@code ≥ 1}
     * @param mean the mean, finite
     * @param standardDeviation the sample standard deviation, {@code ≥ 0}; {@code NaN} exactly when {@code n = 1}
     * @param confidence the confidence level {@code c}, in {@code (0, 1)}
     * @param halfWidth the interval's half-width {@code h}, {@code ≥ 0}; {@code NaN} exactly when {@code n = 1}
     * @throws IllegalArgumentException if a component breaks its documented range
     */
    public SeedSummary {
        if (n < 1) {
            throw new IllegalArgumentException("A seed summary needs at least 1 value, but n was " + n + ".");
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("The mean must be finite, but was " + mean + ".");
        }
        checkConfidence(confidence);
        if (n == 1) {
            if (!Double.isNaN(standardDeviation) || !Double.isNaN(halfWidth)) {
                throw new IllegalArgumentException("With a single value the standard deviation and half-width are "
                        + "undefined and must be NaN, but got " + standardDeviation + " and " + halfWidth + ".");
            }
        } else {
            if (!(standardDeviation >= 0) || Double.isInfinite(standardDeviation)) {
                throw new IllegalArgumentException("The standard deviation of " + n + " values must be finite and "
                        + "non-negative, but was " + standardDeviation + ".");
            }
            if (!(halfWidth >= 0) || Double.isInfinite(halfWidth)) {
                throw new IllegalArgumentException("The interval half-width of " + n + " values must be finite and "
                        + "non-negative, but was " + halfWidth + ".");
            }
        }
    }

    /**
     * Summarises values with a 95% interval.
     *
     * @param values the per-seed values, at least one, all finite
     * @return the summary
     * @throws IllegalArgumentException as for {@link #of(double[], double)}
     */
    public static SeedSummary of(double[] values) {
        return of(values, DEFAULT_CONFIDENCE);
    }

    /**
     * Summarises values as described on the class.
     *
     * @param values     the per-seed values, at least one, all finite (a diverged seed's {@code NaN} must be
     *                   handled by the caller, e.g. reported separately)
     * @param confidence the confidence level, in {@code (0, 1)}, e.g. 0.95
     * @return the summary
     * @throws IllegalArgumentException if the values are null, empty or not all finite, or the confidence is not
     *                                  in {@code (0, 1)}
     */
    public static SeedSummary of(double[] values, double confidence) {
        checkConfidence(confidence);
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("A seed summary needs at least one value, but got "
                    + (values == null ? "null" : "an empty array") + ".");
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Seed values must be finite, but value " + i + " is " + values[i]
                        + ".");
            }
            sum += values[i];
        }
        int n = values.length;
        double mean = sum / n;
        if (n == 1) {
            return new SeedSummary(1, mean, Double.NaN, confidence, Double.NaN);
        }
        double squares = 0;
        double deviations = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
            deviations += d;
        }
        double variance = Math.max(0.0, (squares - deviations * deviations / n) / (n - 1));
        double sd = Math.sqrt(variance);
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.5 * (1 + confidence));
        return new SeedSummary(n, mean, sd, confidence, t * sd / Math.sqrt(n));
    }

    /**
     * Returns the interval's lower end.
     *
     * @return {@code mean − halfWidth}, or {@code NaN} when {@code n = 1}
     */
    public double lower() {
        return mean - halfWidth;
    }

    /**
     * Returns the interval's upper end.
     *
     * @return {@code mean + halfWidth}, or {@code NaN} when {@code n = 1}
     */
    public double upper() {
        return mean + halfWidth;
    }

    /**
     * Returns the standard error of the mean.
     *
     * @return {@code s / √n}, or {@code NaN} when {@code n = 1}
     */
    public double standardError() {
        return standardDeviation / Math.sqrt(n);
    }

    /**
     * Tells whether the interval is defined.
     *
     * @return {@code n ≥ 2}
     */
    public boolean hasInterval() {
        return n >= 2;
    }

    /**
     * Formats the summary for a table, e.g. {@code 3.000 ± 1.963 (95% CI, n = 5)}, or {@code 3.000 (n = 1)} for
     * a single value. Numbers use a dot as decimal separator whatever the default locale.
     *
     * @param decimals the digits after the decimal point, in {@code [0, 17]}
     * @return the text
     * @throws IllegalArgumentException if {@code decimals} is out of range
     */
    public String format(int decimals) {
        if (decimals < 0 || decimals > 17) {
            throw new IllegalArgumentException("The number of decimals must lie in [0, 17], but was " + decimals + ".");
        }
        String number = "%." + decimals + "f";
        if (!hasInterval()) {
            return String.format(Locale.ROOT, number + " (n = %d)", mean, n);
        }
        String level = new java.math.BigDecimal(Double.toString(100 * confidence)).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, number + " ± " + number + " (%s%% CI, n = %d)", mean, halfWidth, level, n);
    }

    private static void checkConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("The confidence level must lie in the open interval (0, 1), e.g. 0.95, "
                    + "but was " + confidence + ".");
        }
    }
}
