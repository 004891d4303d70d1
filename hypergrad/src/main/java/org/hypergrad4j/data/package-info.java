/**
 * The data vocabulary shared by every trainer, loader and experiment: a labelled data set ({@link
 * org.hypergrad4j.data.Dataset}), a split into training, validation and test parts ({@link
 * org.hypergrad4j.data.Split}, made by {@link org.hypergrad4j.data.Splits}, standardised by {@link
 * org.hypergrad4j.data.Standardizer}), the one minibatch schedule ({@link org.hypergrad4j.data.MinibatchSchedule})
 * and the named random streams every seeded draw comes from ({@link org.hypergrad4j.data.SeedStream}).
 *
 * <p>Conventions: every source of randomness takes an explicit {@code long} seed, and the same seed gives
 * bit-identical results on every platform (all randomness comes from {@link java.util.SplittableRandom} or
 * {@link java.util.Random}); invalid arguments throw {@link java.lang.IllegalArgumentException} naming the value
 * and the allowed range; operations that do not apply to a data set's task throw
 * {@link java.lang.IllegalStateException}. Loaders of real data sets are in {@code org.hypergrad4j.experiments.data}.
 */
package org.hypergrad4j.data;
