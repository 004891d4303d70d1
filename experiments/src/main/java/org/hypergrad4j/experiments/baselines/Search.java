package org.hypergrad4j.experiments.baselines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A black-box search: a fixed, deterministic list of points evaluated one after another within a
 * training-step {@link Budget}.
 *
 * <h2>Running</h2>
 * {@link #run(Objective, Budget)} evaluates the points in order. Before each, it checks that the per-trial
 * budget fits in what is left of the total ({@code stepsPerTrial ≤ totalSteps − used}); if not it stops with
 * {@link SearchResult.StopReason#BUDGET}. Each evaluation receives {@code stepsPerTrial} and must report at most
 * that many steps used; the steps it reports are added to {@code used}. So the steps of a search never exceed
 * the total budget, and a search whose every trial uses its full allowance runs exactly
 * {@code min(points, floor(totalSteps / stepsPerTrial))} trials.
 */
public interface Search {

    /**
     * Returns the search space.
     *
     * @return the space the points belong to
     */
    SearchSpace space();

    /**
     * Returns the points in evaluation order. The same search always returns the same points.
     *
     * @return an unmodifiable list of unmodifiable points, each with one value per dimension in dimension order
     */
    List<Map<String, Double>> points();

    /**
     * Evaluates the points in order within the budget, as described on the interface.
     *
     * @param objective the problem
     * @param budget    the training-step budget
     * @return the trials and why the search stopped
     * @throws IllegalArgumentException if an argument is null
     * @throws IllegalStateException    if the objective returns null or reports more steps than it was allowed
     */
    default SearchResult run(Objective objective, Budget budget) {
        if (objective == null || budget == null) {
            throw new IllegalArgumentException("A search needs an objective and a budget, but got objective=" + objective
                    + ", budget=" + budget + ".");
        }
        List<Map<String, Double>> points = points();
        List<Trial> trials = new ArrayList<>();
        long used = 0;
        for (Map<String, Double> point : points) {
            if (budget.stepsPerTrial() > budget.totalSteps() - used) {
                return new SearchResult(trials, SearchResult.StopReason.BUDGET);
            }
            Evaluation evaluation = objective.evaluate(point, budget.stepsPerTrial());
            if (evaluation == null) {
                throw new IllegalStateException("The objective returned no evaluation for the point " + point + ".");
            }
            if (evaluation.stepsUsed() > budget.stepsPerTrial()) {
                throw new IllegalStateException("The objective used " + evaluation.stepsUsed()
                        + " training steps for the point " + point + ", more than the " + budget.stepsPerTrial()
                        + " it was allowed.");
            }
            used += evaluation.stepsUsed();
            trials.add(new Trial(trials.size(), point, evaluation, used));
        }
        return new SearchResult(trials, SearchResult.StopReason.COMPLETED);
    }
}
