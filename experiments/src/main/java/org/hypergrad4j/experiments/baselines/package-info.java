/**
 * Black-box hyperparameter search baselines, costed in training steps so that gradient-based methods can be
 * compared with them at equal cost.
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>{@link org.hypergrad4j.experiments.baselines.SearchSpace}: named
 *       {@link org.hypergrad4j.experiments.baselines.Dimension}s —
 *       {@link org.hypergrad4j.experiments.baselines.LogUniform},
 *       {@link org.hypergrad4j.experiments.baselines.Uniform},
 *       {@link org.hypergrad4j.experiments.baselines.IntRange}.</li>
 *   <li>{@link org.hypergrad4j.experiments.baselines.GridSearch} (cartesian product, last dimension fastest) and
 *       {@link org.hypergrad4j.experiments.baselines.RandomSearch} (Sobol quasi-random or seeded pseudo-random),
 *       both {@link org.hypergrad4j.experiments.baselines.Search}es: deterministic lists of points;
 *       {@link org.hypergrad4j.experiments.baselines.SuccessiveHalving}: successive halving and Hyperband over such a
 *       list, with budgets that grow by {@code η} per rung.</li>
 *   <li>{@link org.hypergrad4j.experiments.baselines.Objective}: trains one configuration within a step budget
 *       and returns an {@link org.hypergrad4j.experiments.baselines.Evaluation} (validation loss, steps used,
 *       optional test metrics).</li>
 *   <li>{@link org.hypergrad4j.experiments.baselines.Budget}: steps per trial and in total; a search never
 *       exceeds the total.</li>
 *   <li>{@link org.hypergrad4j.experiments.baselines.SearchResult}: the
 *       {@link org.hypergrad4j.experiments.baselines.Trial}s in order, the best one, the total steps, and the
 *       {@link org.hypergrad4j.experiments.baselines.BestSoFar} curve of the best validation loss against the
 *       cumulative training steps.</li>
 * </ul>
 *
 * <p>Invalid arguments throw {@link java.lang.IllegalArgumentException} with a full sentence naming the value and
 * the allowed range; an objective that breaks its contract (returns null, or uses more steps than allowed) makes
 * the search throw {@link java.lang.IllegalStateException}. Nothing in this package prints.
 */
package org.hypergrad4j.experiments.baselines;
