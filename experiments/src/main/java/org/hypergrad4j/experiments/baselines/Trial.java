package org.hypergrad4j.experiments.baselines;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluated point of a search.
 *
 * @param index           the trial's position in the search, from 0
 * @param point           the hyperparameters evaluated; copied into an unmodifiable map in the given order
 * @param evaluation      the objective's outcome
 * @param cumulativeSteps the training steps used by this trial and all before it,
 *                        {@code ≥ evaluation.stepsUsed()}
 */
public record Trial(int index, Map<String, Double> point, Evaluation evaluation, long cumulativeSteps) {

    /**
     * Validates the trial.
     *
     * @param index the trial's position in the search, from 0
     * @param point the hyperparameters evaluated; copied into an unmodifiable map in the given order
     * @param evaluation the objective's outcome
     * @param cumulativeSteps the training steps used by this trial and all before it, {@code ≥
     *                        evaluation.stepsUsed()}
     * @throws IllegalArgumentException if {@code index < 0}, the point or evaluation is null, or the cumulative
     *                                  steps are fewer than this trial's own
     */
    public Trial {
        if (index < 0) {
            throw new IllegalArgumentException("A trial index must be at least 0, but was " + index + ".");
        }
        if (point == null || evaluation == null) {
            throw new IllegalArgumentException("A trial needs a point and an evaluation, but got point=" + point
                    + ", evaluation=" + evaluation + ".");
        }
        if (cumulativeSteps < evaluation.stepsUsed()) {
            throw new IllegalArgumentException("The cumulative steps after trial " + index + " (" + cumulativeSteps
                    + ") cannot be fewer than the trial's own " + evaluation.stepsUsed() + ".");
        }
        point = Collections.unmodifiableMap(new LinkedHashMap<>(point));
    }
}
