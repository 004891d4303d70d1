package org.hypergrad4j.data;

/**
 * A data set split for bilevel training: the training set (the inner loss's), the validation set (the outer
 * loss's) and the test set (reported only). The one record for the three parts, made by {@link Splits} and used
 * by every trainer, loader and experiment.
 *
 * @param train      the training part; not null
 * @param validation the validation part; not null
 * @param test       the test part, or null when a run has none
 */
public record Split(Dataset train, Dataset validation, Dataset test) {

    /**
     * @throws IllegalArgumentException if the training or validation part is null
     */
    public Split {
        if (train == null || validation == null) {
            throw new IllegalArgumentException("A split needs a training and a validation part, but got train=" + train
                    + ", validation=" + validation + ".");
        }
    }

    /** Whether the split has a test part. */
    public boolean hasTest() {
        return test != null;
    }
}
