package org.hypergrad4j.experiments.baselines;

/**
 * How many training steps a search may spend: {@code stepsPerTrial} for each evaluation (passed to
 * {@link Objective#evaluate(java.util.Map, long)}), and {@code totalSteps} for the whole search.
 *
 * <p>A search starts a trial only if {@code stepsPerTrial ≤ totalSteps − used}, where {@code used} is the sum of
 * the steps the earlier trials reported; since no trial may use more than {@code stepsPerTrial}, the steps used
 * never exceed {@code totalSteps}.
 *
 * @param stepsPerTrial the most training steps of one evaluation, {@code ≥ 1}
 * @param totalSteps    the most training steps of the whole search, {@code ≥ stepsPerTrial}
 */
public record Budget(long stepsPerTrial, long totalSteps) {

    /**
     * Validates the budget.
     *
     * @param stepsPerTrial the most training steps of one evaluation, {@code ≥ 1}
     * @param totalSteps the most training steps of the whole search, {@code ≥ stepsPerTrial}
     * @throws IllegalArgumentException unless {@code 1 ≤ stepsPerTrial ≤ totalSteps}
     */
    public Budget {
        if (stepsPerTrial < 1) {
            throw new IllegalArgumentException("The training steps per trial must be at least 1, but were "
                    + stepsPerTrial + ".");
        }
        if (totalSteps < stepsPerTrial) {
            throw new IllegalArgumentException("The total training-step budget (" + totalSteps
                    + ") must be at least the steps per trial (" + stepsPerTrial + "), or no trial could run.");
        }
    }

    /**
     * A budget limited only per trial.
     *
     * @param stepsPerTrial the most training steps of one evaluation, {@code ≥ 1}
     * @return a budget whose total is {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if {@code stepsPerTrial < 1}
     */
    public static Budget perTrial(long stepsPerTrial) {
        return new Budget(stepsPerTrial, Long.MAX_VALUE);
    }
}
