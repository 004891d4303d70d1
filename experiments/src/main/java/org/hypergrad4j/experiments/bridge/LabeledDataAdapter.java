package org.hypergrad4j.experiments.bridge;

import org.hypergrad4j.bilevel.problem.LabeledData;
import org.hypergrad4j.experiments.data.Dataset;

/** Turns the experiments module's classification {@link Dataset}s into the bilevel module's {@link LabeledData}. */
public final class LabeledDataAdapter {
    private LabeledDataAdapter() {
    }

    /**
     * @throws IllegalArgumentException if {@code data} is a regression data set
     */
    public static LabeledData of(Dataset data) {
        if (!data.isClassification()) {
            throw new IllegalArgumentException("Data set '" + data.name() + "' is a regression data set; bilevel problems here classify.");
        }
        return new LabeledData(data.name(), data.features(), data.labels(), data.numClasses());
    }
}
