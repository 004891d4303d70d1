package org.hypergrad4j.experiments.baselines;

import java.util.List;
import java.util.Optional;

/**
 * The trials of a search, in the order they ran, and why it stopped.
 *
 * <p>Invariants: trial {@code i} has index {@code i}; trial {@code i}'s cumulative steps are trial
 * {@code i − 1}'s plus its own (trial 0's are its own).
 *
 * @param trials     the trials in order; copied into an unmodifiable list
 * @param stopReason why the search stopped
 */
public record SearchResult(List<Trial> trials, StopReason stopReason) {

    /** Why a search stopped. */
    public enum StopReason {
        /** Every point of the search was evaluated. */
        COMPLETED,
        /** The next trial's per-trial budget exceeded what was left of the total budget. */
        BUDGET
    }

    /**
     * Validates the trials.
     *
     * @param trials the trials in order; copied into an unmodifiable list
     * @param stopReason why the search stopped
     * @throws IllegalArgumentException if an argument is null or the trials break the invariants
     */
    public SearchResult {
        if (trials == null || stopReason == null) {
            throw new IllegalArgumentException("A search result needs trials and a stop reason, but got trials=" + trials
                    + ", stopReason=" + stopReason + ".");
        }
        long cumulative = 0;
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i);
            if (t == null || t.index() != i) {
                throw new IllegalArgumentException("Trial " + i + " of a search result must have index " + i + ", but got "
                        + t + ".");
            }
            cumulative = Math.addExact(cumulative, t.evaluation().stepsUsed());
            if (t.cumulativeSteps() != cumulative) {
                throw new IllegalArgumentException("Trial " + i + " reports " + t.cumulativeSteps()
                        + " cumulative steps, but the trials so far used " + cumulative + ".");
            }
        }
        trials = List.copyOf(trials);
    }

    /**
     * Returns the best trial: the one with the lowest finite validation loss, the earliest among equals.
     *
     * @return the best trial, or empty if there is no trial with a finite validation loss
     */
    public Optional<Trial> best() {
        Trial best = null;
        for (Trial t : trials) {
            if (t.evaluation().succeeded()
                    && (best == null || t.evaluation().validationLoss() < best.evaluation().validationLoss())) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the training steps used by all trials.
     *
     * @return the last trial's cumulative steps, or 0 if there is none
     */
    public long totalSteps() {
        return trials.isEmpty() ? 0 : trials.get(trials.size() - 1).cumulativeSteps();
    }

    /**
     * Returns the best validation loss found as a function of the training steps spent.
     *
     * @return the curve, one point per trial
     */
    public BestSoFar bestSoFar() {
        long[] steps = new long[trials.size()];
        double[] best = new double[trials.size()];
        double current = Double.NaN;
        for (int i = 0; i < steps.length; i++) {
            Evaluation e = trials.get(i).evaluation();
            if (e.succeeded() && (Double.isNaN(current) || e.validationLoss() < current)) {
                current = e.validationLoss();
            }
            steps[i] = trials.get(i).cumulativeSteps();
            best[i] = current;
        }
        return new BestSoFar(steps, best);
    }
}
