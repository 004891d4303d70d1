package org.hypergrad4j.bilevel.problem;

import java.util.Objects;

/**
 * A data set split for bilevel training: the training set (inner loss), the validation set (outer loss) and the
 * test set (reported only; may be null). The one record for the three parts, used by every trainer and loader.
 */
public record LabeledSplit(LabeledData train, LabeledData validation, LabeledData test) {
    public LabeledSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
