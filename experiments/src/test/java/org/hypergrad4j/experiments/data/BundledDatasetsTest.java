package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BundledDatasetsTest {

    @Test
    void digitsHasTheDocumentedShapeClassCountsAndFirstRow() {
        Dataset digits = BundledDatasets.digits();
        assertEquals("digits", digits.name());
        assertEquals(Dataset.Task.CLASSIFICATION, digits.task());
        assertEquals(1797, digits.numExamples());
        assertEquals(64, digits.numFeatures());
        assertEquals(10, digits.numClasses());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, digits.classCounts());
        double[] first = {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0};
        for (int j = 0; j < first.length; j++) {
            assertEquals(first[j], digits.feature(0, j), "pixel " + j + " of the first digit");
        }
        assertEquals(0, digits.label(0));
        assertEquals(1, digits.label(1));
        assertEquals(8, digits.label(1796));
        assertEquals(10.0, digits.feature(1796, 2));
        assertEquals("pixel_0_0", digits.featureNames().orElseThrow().get(0));
        assertEquals("pixel_7_7", digits.featureNames().orElseThrow().get(63));
        for (int i = 0; i < digits.numExamples(); i++) {
            for (int j = 0; j < 64; j++) {
                double v = digits.feature(i, j);
                assertTrue(v >= 0 && v <= 16 && v == Math.rint(v), "pixel (" + i + ", " + j + ") = " + v);
            }
        }
    }

    @Test
    void breastCancerHas212MalignantAnd357Benign() {
        Dataset data = BundledDatasets.breastCancer();
        assertEquals(569, data.numExamples());
        assertEquals(30, data.numFeatures());
        assertEquals(2, data.numClasses());
        assertArrayEquals(new int[] {212, 357}, data.classCounts());
        assertEquals(List.of("malignant", "benign"), data.classNames().orElseThrow());
        assertEquals("mean radius", data.featureNames().orElseThrow().get(0));
        assertEquals("radius error", data.featureNames().orElseThrow().get(10));
        assertEquals("worst fractal dimension", data.featureNames().orElseThrow().get(29));
        // First data row: 17.99,10.38,122.8,1001,...,0.1189,0 (malignant).
        assertEquals(17.99, data.feature(0, 0));
        assertEquals(10.38, data.feature(0, 1));
        assertEquals(1001.0, data.feature(0, 3));
        assertEquals(0.1189, data.feature(0, 29));
        assertEquals(0, data.label(0));
        // Last data row: 7.76,24.54,...,0.07039,1 (benign).
        assertEquals(7.76, data.feature(568, 0));
        assertEquals(0.07039, data.feature(568, 29));
        assertEquals(1, data.label(568));
    }

    @Test
    void diabetesHas442RowsAndTheKnownTargets() {
        Dataset data = BundledDatasets.diabetes();
        assertEquals(Dataset.Task.REGRESSION, data.task());
        assertEquals(442, data.numExamples());
        assertEquals(10, data.numFeatures());
        assertEquals(0, data.numClasses());
        assertEquals(151.0, data.target(0));
        assertEquals(75.0, data.target(1));
        assertEquals(57.0, data.target(441));
        double sum = 0;
        for (double t : data.targets()) {
            sum += t;
        }
        assertEquals(67243.0, sum, 1e-9, "sum of the 442 diabetes targets");
        assertArrayEquals(new double[] {59, 2, 32.1, 101.0, 157, 93.2, 38.0, 4.0, 4.8598, 87}, data.row(0));
        assertArrayEquals(new double[] {36, 1, 19.6, 71.0, 250, 133.2, 97.0, 3.0, 4.5951, 92}, data.row(441));
        assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
                data.featureNames().orElseThrow());
        assertTrue(data.classNames().isEmpty());
    }

    @Test
    void wineHasClassCounts59And71And48() {
        Dataset data = BundledDatasets.wine();
        assertEquals(178, data.numExamples());
        assertEquals(13, data.numFeatures());
        assertEquals(3, data.numClasses());
        assertArrayEquals(new int[] {59, 71, 48}, data.classCounts());
        assertArrayEquals(new double[] {14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29, 5.64, 1.04, 3.92, 1065},
                data.row(0));
        assertEquals(0, data.label(0));
        assertEquals(560.0, data.feature(177, 12));
        assertEquals(2, data.label(177));
        assertEquals(List.of("class_0", "class_1", "class_2"), data.classNames().orElseThrow());
        assertEquals("proline", data.featureNames().orElseThrow().get(12));
    }

    @Test
    void irisHas50OfEachClassAndTheFamousFirstRow() {
        Dataset data = BundledDatasets.iris();
        assertEquals(150, data.numExamples());
        assertEquals(4, data.numFeatures());
        assertEquals(3, data.numClasses());
        assertArrayEquals(new int[] {50, 50, 50}, data.classCounts());
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, data.row(0));
        assertEquals("setosa", data.classNames().orElseThrow().get(data.label(0)));
        assertArrayEquals(new double[] {5.9, 3.0, 5.1, 1.8}, data.row(149));
        assertEquals("virginica", data.classNames().orElseThrow().get(data.label(149)));
        assertEquals(List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"),
                data.featureNames().orElseThrow());
    }

    @Test
    void malformedCsvContentIsReportedWithFileLineAndValue() {
        List<String> names = List.of("a", "b");
        assertFormat(List.of("2,2,x,y", "1,2,0", "3,4"), "Line 3 of test.csv has 2 fields, but 3 are expected.");
        assertFormat(List.of("2,2,x,y", "1,2,0", "3,abc,1"), "Line 3, column 2 of test.csv holds 'abc', which is not a number.");
        assertFormat(List.of("2,2,x,y", "1,2,0", "3,NaN,1"), "holds 'NaN', but values must be finite.");
        assertFormat(List.of("2,2,x,y", "1,2,0", "3,4,2"), "Line 3, column 3 of test.csv holds the label 2, outside the allowed range [0, 1].");
        assertFormat(List.of("2,2,x,y", "1,2,0", "3,4,0.5"), "holds the label '0.5', which is not an integer.");
        assertFormat(List.of("3,2,x,y", "1,2,0", "3,4,1"), "test.csv has 2 data rows, but 3 are expected.");
        assertFormat(List.of("1,2,x,y", "1,2,0", "3,4,1"), "more data rows than the 1 declared in its header (extra row on line 3)");
        assertFormat(List.of("2,3,x,y", "1,2,0"), "declares 3 features, but data set 'test' has 2.");
        assertFormat(List.of("2,2,x"), "has 3 fields, but it must be 'n,d' followed by at least two class names.");
        assertFormat(List.of("two,2,x,y"), "The example count 'two' in the header on line 1 of test.csv is not an integer.");
        assertFormat(List.of(), "test.csv is empty");
        Dataset ok = BundledDatasets.parseHeaderedCsv("test.csv", List.of("", "2,2,x,y", "1,2,0", "", "3,4,1", ""),
                "test", names);
        assertArrayEquals(new int[] {0, 1}, ok.labels());
        assertEquals(List.of("x", "y"), ok.classNames().orElseThrow());
    }

    private static void assertFormat(List<String> lines, String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> BundledDatasets.parseHeaderedCsv("test.csv", lines, "test", List.of("a", "b")));
        assertEquals("test.csv", e.source());
        assertTrue(e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }

    @Test
    void loadersCacheTheirImmutableResult() {
        assertSame(BundledDatasets.iris(), BundledDatasets.iris());
        Dataset iris = BundledDatasets.iris();
        double[][] features = iris.features();
        features[0][0] = -1;
        int[] labels = iris.labels();
        labels[0] = 2;
        assertEquals(5.1, BundledDatasets.iris().feature(0, 0));
        assertEquals(0, BundledDatasets.iris().label(0));
    }
}
