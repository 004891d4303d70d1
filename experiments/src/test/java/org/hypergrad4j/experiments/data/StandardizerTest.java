package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.data.Standardizer;

import static org.hypergrad4j.experiments.data.DatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void trainingPartGetsMeanZeroAndStdOne() {
        Split split = Splits.stratified(BundledDatasets.wine(), 0.6, 0.2, 0.2, 3);
        Standardizer standardizer = Standardizer.fit(split.train());
        Dataset train = standardizer.apply(split.train());
        assertEquals(split.train().numExamples(), train.numExamples());
        assertArrayEquals(split.train().labels(), train.labels());
        assertEquals(split.train().name(), train.name());
        int n = train.numExamples();
        for (int j = 0; j < train.numFeatures(); j++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                sum += train.feature(i, j);
                squares += train.feature(i, j) * train.feature(i, j);
            }
            double mean = sum / n;
            assertEquals(0.0, mean, 1e-12, "mean of feature " + j);
            assertEquals(1.0, Math.sqrt(squares / n - mean * mean), 1e-12, "std of feature " + j);
        }
    }

    @Test
    void otherPartsUseTheTrainingStatistics() {
        double[][] train = {{1, 10}, {3, 10}};
        double[][] other = {{5, 12}};
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new double[] {2, 10}, s.means());
        assertArrayEquals(new double[] {1, 1}, s.stds());
        assertArrayEquals(new double[] {3, 2}, s.apply(other)[0]);
        Dataset d = Dataset.regression("r", other, new double[] {4});
        Dataset z = s.apply(d);
        assertArrayEquals(new double[] {3, 2}, z.row(0));
        assertArrayEquals(new double[] {4}, z.targets());
    }

    @Test
    void constantColumnsGetStdOneAndStandardiseToZero() {
        double[][] train = {{0.1, 1}, {0.1, 2}, {0.1, 3}};
        Standardizer s = Standardizer.fit(train);
        assertEquals(0.1, s.means()[0]);
        assertEquals(1.0, s.stds()[0]);
        double[][] z = s.apply(train);
        for (double[] row : z) {
            assertEquals(0.0, row[0]);
        }
        assertEquals(Math.sqrt(2.0 / 3.0), s.stds()[1], 1e-15);
    }

    @Test
    void invertUndoesApply() {
        Standardizer s = Standardizer.fit(BundledDatasets.iris());
        double[][] x = BundledDatasets.iris().features();
        double[][] back = s.invert(s.apply(x));
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], back[i], 1e-12);
        }
    }

    @Test
    void emptyPartsCanBeStandardised() {
        Standardizer s = Standardizer.fit(BundledDatasets.iris());
        assertEquals(0, s.apply(BundledDatasets.iris().subset()).numExamples());
    }

    @Test
    void badInputsAreRejected() {
        Standardizer s = Standardizer.fit(new double[][] {{1, 2}});
        assertMessage(() -> s.apply(new double[][] {{1, 2, 3}}), "Row 0 of the feature matrix to standardise has 3 values, but 2 are expected.");
        assertMessage(() -> s.apply(BundledDatasets.iris()), "fitted on 2 features, but data set 'iris' has 4");
        assertMessage(() -> s.apply(new double[][] {{1, Double.NaN}}), "Entry (0, 1) of the feature matrix to standardise is NaN");
        assertMessage(() -> Standardizer.fit(new double[0][]), "no rows");
        assertMessage(() -> Standardizer.fit(BundledDatasets.iris().subset()), "because it has no examples");
        assertMessage(() -> Standardizer.fit((Dataset) null), "must not be null");
        assertMessage(() -> Standardizer.fit(new double[][] {{}}), "at least one column");
    }
}
