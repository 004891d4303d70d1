package org.hypergrad4j.experiments.bilevel;

import org.hypergrad4j.bilevel.problem.LabeledData;
import org.hypergrad4j.experiments.bridge.LabeledDataAdapter;
import org.hypergrad4j.experiments.data.Dataset;
import org.hypergrad4j.experiments.data.Splits;
import org.hypergrad4j.experiments.data.Standardizer;

/** Shared set-up of the bilevel experiments: a stratified split standardised on its training part. */
final class BilevelExperiments {
    private BilevelExperiments() {
    }

    record Parts(LabeledData train, LabeledData validation, LabeledData test) {
    }

    static Parts split(Dataset data, double trainFraction, double validationFraction, double testFraction, long seed) {
        Splits.Split split = Splits.stratified(data, trainFraction, validationFraction, testFraction, seed);
        Standardizer st = Standardizer.fit(split.train());
        return new Parts(LabeledDataAdapter.of(st.apply(split.train())), LabeledDataAdapter.of(st.apply(split.validation())),
                LabeledDataAdapter.of(st.apply(split.test())));
    }
}
