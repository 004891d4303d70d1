package org.hypergrad4j.experiments.bridge;

import org.hypergrad4j.bilevel.problem.LabeledData;
import org.hypergrad4j.bilevel.problem.LabeledSplit;
import org.hypergrad4j.experiments.data.Dataset;
import org.hypergrad4j.experiments.data.Splits;
import org.hypergrad4j.experiments.data.Standardizer;

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

    /**
     * A stratified split of {@code data} into training, validation and test fractions (seeded), standardised on the
     * training part, as the bilevel module's {@link LabeledSplit}: the one way the experiments prepare their data.
     */
    public static LabeledSplit standardisedSplit(Dataset data, double train, double validation, double test, long seed) {
        Splits.Split split = Splits.stratified(data, train, validation, test, seed);
        Standardizer st = Standardizer.fit(split.train());
        return new LabeledSplit(of(st.apply(split.train())), of(st.apply(split.validation())), of(st.apply(split.test())));
    }
}
