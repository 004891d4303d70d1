/**
 * Statistics over repeats with different seeds:
 * {@link org.hypergrad4j.experiments.stats.SeedSummary} gives the mean, the sample standard deviation and a
 * two-sided Student-t confidence interval of a quantity measured once per seed.
 *
 * <p>Invalid arguments throw {@link java.lang.IllegalArgumentException} with a full sentence naming the value and
 * the allowed range. Nothing in this package prints.
 */
package org.hypergrad4j.experiments.stats;
