package org.hypergrad4j.experiments.baselines;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one {@link Objective} evaluation.
 *
 * @param validationLoss the validation loss; {@code NaN} or {@code +∞} marks a failed (diverged) training run,
 *                       which a search records but never picks as best
 * @param stepsUsed      the training steps the evaluation used, {@code ≥ 0}
 * @param testMetrics    further metrics by name (e.g. {@code test_loss}, {@code test_accuracy}), reported but not
 *                       used by the search; copied into an unmodifiable map in the given order
 */
public record Evaluation(double validationLoss, long stepsUsed, Map<String, Double> testMetrics) {

    /**
     * Validates the outcome.
     *
     * @param validationLoss the validation loss; {@code NaN} or {@code +∞} marks a failed (diverged) training run,
     *                       which a search records but never picks as best
     * @param stepsUsed the training steps the evaluation used, {@code ≥ 0}
     * @param testMetrics further metrics by name (e.g. {@code test_loss}, {@code test_accuracy}), reported but not
     *                    used by the search; copied into an unmodifiable map in the given order
     * @throws IllegalArgumentException if the loss is {@code −∞}, {@code stepsUsed < 0}, or the metrics are null
     *                                  or hold a null name or value
     */
    public Evaluation {
        if (validationLoss == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("A validation loss of -Infinity is not a meaningful result; report NaN "
                    + "or +Infinity for a failed run.");
        }
        if (stepsUsed < 0) {
            throw new IllegalArgumentException("The training steps used must be at least 0, but were " + stepsUsed + ".");
        }
        if (testMetrics == null) {
            throw new IllegalArgumentException("The test metrics must not be null; use Map.of() for none.");
        }
        for (Map.Entry<String, Double> e : testMetrics.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Test metric names and values must not be null, but got "
                        + e.getKey() + "=" + e.getValue() + ".");
            }
        }
        testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
    }

    /**
     * Creates an outcome without test metrics.
     *
     * @param validationLoss the validation loss
     * @param stepsUsed      the training steps used
     * @return the outcome
     * @throws IllegalArgumentException as for the constructor
     */
    public static Evaluation of(double validationLoss, long stepsUsed) {
        return new Evaluation(validationLoss, stepsUsed, Map.of());
    }

    /**
     * Tells whether this outcome can be the best of a search.
     *
     * @return whether the validation loss is finite
     */
    public boolean succeeded() {
        return Double.isFinite(validationLoss);
    }
}
