package org.hypergrad4j.experiments.baselines;

import java.util.Map;

/**
 * The problem a black-box search tunes: train with the given hyperparameters for at most a given number of
 * training steps, and report the validation loss and the steps actually used.
 *
 * <p>Costing searches in training steps (weight updates) puts them on the same axis as gradient-based methods,
 * whose cost is also counted in training steps (plus Hessian-vector products), so that
 * {@link SearchResult#bestSoFar()} can be read at a gradient method's cost.
 */
@FunctionalInterface
public interface Objective {

    /**
     * Trains and evaluates one configuration.
     *
     * @param point       one value per dimension of the search space, in dimension order
     * @param budgetSteps the most training steps this evaluation may use, at least 1
     * @return the validation loss and the steps used ({@code ≤ budgetSteps}; a search rejects more)
     */
    Evaluation evaluate(Map<String, Double> point, long budgetSteps);
}
