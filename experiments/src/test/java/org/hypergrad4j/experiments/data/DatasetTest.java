package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetTest {

    private static final double[][] X = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
    private static final int[] Y = {0, 2, 1, 2};
    private static final double[] T = {0.5, -1.5, 2.5, 3.0};

    private static Dataset classification() {
        return Dataset.classification("toy", X, Y, 3);
    }

    private static Dataset regression() {
        return Dataset.regression("toy-regression", X, T);
    }

    @Test
    void classificationExposesItsContent() {
        Dataset d = classification();
        assertEquals("toy", d.name());
        assertEquals(Dataset.Task.CLASSIFICATION, d.task());
        assertTrue(d.isClassification());
        assertEquals(4, d.numExamples());
        assertEquals(2, d.numFeatures());
        assertEquals(3, d.numClasses());
        assertEquals(6.0, d.feature(2, 1));
        assertArrayEquals(new double[] {3, 4}, d.row(1));
        assertArrayEquals(Y, d.labels());
        assertEquals(2, d.label(3));
        assertArrayEquals(new int[] {1, 1, 2}, d.classCounts());
        assertTrue(d.featureNames().isEmpty());
        assertTrue(d.classNames().isEmpty());
        assertEquals("Dataset[name=toy, task=CLASSIFICATION, n=4, d=2, classes=3]", d.toString());
    }

    @Test
    void regressionExposesItsContent() {
        Dataset d = regression();
        assertEquals(Dataset.Task.REGRESSION, d.task());
        assertFalse(d.isClassification());
        assertEquals(0, d.numClasses());
        assertArrayEquals(T, d.targets());
        assertEquals(2.5, d.target(2));
    }

    @Test
    void inputsAndOutputsAreDefensivelyCopied() {
        double[][] x = {{1, 2}, {3, 4}};
        int[] y = {0, 1};
        Dataset d = Dataset.classification("copy", x, y, 2);
        x[0][0] = 99;
        y[0] = 1;
        assertEquals(1.0, d.feature(0, 0));
        assertEquals(0, d.label(0));
        d.features()[1][1] = 99;
        d.row(1)[1] = 99;
        d.labels()[1] = 0;
        assertEquals(4.0, d.feature(1, 1));
        assertEquals(1, d.label(1));
        double[] t = {1, 2};
        Dataset r = Dataset.regression("copy", x, t);
        t[0] = 7;
        r.targets()[1] = 7;
        assertArrayEquals(new double[] {1, 2}, r.targets());
    }

    @Test
    void subsetSelectsRowsInTheGivenOrderAndAllowsRepeatsAndEmptiness() {
        Dataset d = classification().withClassNames(List.of("a", "b", "c"));
        Dataset s = d.subset(3, 0, 3);
        assertEquals(3, s.numExamples());
        assertArrayEquals(new double[] {7, 8}, s.row(0));
        assertArrayEquals(new double[] {1, 2}, s.row(1));
        assertArrayEquals(new int[] {2, 0, 2}, s.labels());
        assertEquals(3, s.numClasses());
        assertEquals(d.classNames(), s.classNames());
        Dataset empty = d.subset();
        assertEquals(0, empty.numExamples());
        assertEquals(2, empty.numFeatures());
        assertArrayEquals(new int[] {0, 0, 0}, empty.classCounts());
        Dataset r = regression().subset(2);
        assertArrayEquals(new double[] {2.5}, r.targets());
    }

    @Test
    void subsetRejectsOutOfRangeIndices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classification().subset(0, 4));
        assertTrue(e.getMessage().contains("Index 4 at position 1"), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classification().subset(-1));
    }

    @Test
    void namesCanBeAttachedAndAreValidated() {
        Dataset d = classification().withFeatureNames(List.of("u", "v")).withName("renamed");
        assertEquals("renamed", d.name());
        assertEquals(List.of("u", "v"), d.featureNames().orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classification().withFeatureNames(List.of("only-one")));
        assertTrue(e.getMessage().contains("needs exactly 2 feature names, but 1 were given"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classification().withClassNames(List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> classification().withName(" "));
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> regression().withClassNames(List.of("a")));
        assertTrue(s.getMessage().contains("regression data set"), s.getMessage());
    }

    @Test
    void constructionValidatesEveryInvariant() {
        assertMessage(() -> Dataset.classification("bad", X, new int[] {0, 1, 3, 0}, 3),
                "Label 3 of example 2 in data set 'bad' is outside the allowed range [0, 2].");
        assertMessage(() -> Dataset.classification("bad", X, new int[] {0, -1, 1, 0}, 3),
                "Label -1 of example 1");
        assertMessage(() -> Dataset.classification("bad", X, new int[] {0, 1}, 3),
                "has 4 feature rows but 2 labels");
        assertMessage(() -> Dataset.classification("bad", X, Y, 1), "must be at least 2, but was 1");
        assertMessage(() -> Dataset.classification("bad", new double[][] {{1, 2}, {3}}, new int[] {0, 1}, 2),
                "Row 1 of the feature matrix of data set 'bad' has 1 values, but every row must have 2.");
        assertMessage(() -> Dataset.regression("bad", new double[][] {{1, Double.NaN}}, new double[] {0}),
                "Feature 1 of example 0 in data set 'bad' is NaN; features must be finite.");
        assertMessage(() -> Dataset.regression("bad", new double[][] {{1}}, new double[] {Double.POSITIVE_INFINITY}),
                "Target Infinity of example 0");
        assertMessage(() -> Dataset.regression("bad", new double[0][], new double[0]), "at least one row");
        assertMessage(() -> Dataset.regression("bad", new double[][] {{}}, new double[] {1}),
                "must have at least one feature, but has 0");
        assertMessage(() -> Dataset.regression(null, X, T), "must be non-blank, but was null");
        assertMessage(() -> Dataset.regression("bad", null, T), "feature matrix must not be null");
        assertMessage(() -> Dataset.regression("bad", new double[][] {null}, new double[] {1}), "Row 0");
    }

    @Test
    void accessorsCheckIndicesAndTask() {
        assertMessage(() -> classification().feature(4, 0), "Example index 4 is outside the allowed range [0, 3]");
        assertMessage(() -> classification().feature(0, 2), "Feature index 2 is outside the allowed range [0, 1]");
        assertMessage(() -> classification().row(-1), "Example index -1");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> classification().targets());
        assertTrue(e.getMessage().contains("classification data set"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> regression().labels());
        assertThrows(IllegalStateException.class, () -> regression().classCounts());
        assertThrows(IllegalStateException.class, () -> regression().toOneHotLabels(DataType.FLOAT));
        assertThrows(IllegalStateException.class, () -> classification().toTargets(DataType.FLOAT));
    }

    @Test
    void convertsToNd4jInBothPrecisions() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray features = classification().toFeatures(type);
            assertEquals(type, features.dataType());
            assertArrayEquals(new long[] {4, 2}, features.shape());
            assertEquals(6.0, features.getDouble(2, 1));
            assertEquals(7.0, features.getDouble(3, 0));

            INDArray oneHot = classification().toOneHotLabels(type);
            assertEquals(type, oneHot.dataType());
            assertArrayEquals(new long[] {4, 3}, oneHot.shape());
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(c == Y[i] ? 1.0 : 0.0, oneHot.getDouble(i, c), "one-hot (" + i + ", " + c + ")");
                }
            }

            INDArray targets = regression().toTargets(type);
            assertEquals(type, targets.dataType());
            assertArrayEquals(new long[] {4, 1}, targets.shape());
            assertEquals(-1.5, targets.getDouble(1, 0));
        }
        assertEquals(0.1f, Dataset.regression("f", new double[][] {{0.1}}, new double[] {0})
                .toFeatures(DataType.FLOAT).getFloat(0, 0));
    }

    @Test
    void convertsEmptySubsetsToEmptyArraysWithTheRightWidth() {
        INDArray features = classification().subset().toFeatures(DataType.DOUBLE);
        assertArrayEquals(new long[] {0, 2}, features.shape());
        INDArray oneHot = classification().subset().toOneHotLabels(DataType.FLOAT);
        assertArrayEquals(new long[] {0, 3}, oneHot.shape());
    }

    @Test
    void rejectsUnsupportedDataTypes() {
        assertMessage(() -> classification().toFeatures(DataType.INT),
                "Data type INT is not supported for data-set conversion; use FLOAT or DOUBLE.");
        assertThrows(IllegalArgumentException.class, () -> classification().toOneHotLabels(DataType.HALF));
        assertThrows(IllegalArgumentException.class, () -> regression().toTargets(null));
    }

    @Test
    void equalityIsByContent() {
        assertEquals(classification(), classification());
        assertEquals(classification().hashCode(), classification().hashCode());
        assertNotEquals(classification(), classification().withName("other"));
        assertNotEquals(classification(), Dataset.classification("toy", X, new int[] {0, 2, 1, 1}, 3));
        assertNotEquals(classification(), Dataset.classification("toy", X, Y, 4));
        double[][] shifted = Arrays.stream(X).map(double[]::clone).toArray(double[][]::new);
        shifted[3][1] = 8.5;
        assertNotEquals(classification(), Dataset.classification("toy", shifted, Y, 3));
        assertNotEquals(regression(), classification());
    }

    @Test
    void requireShapeNamesWhatDiffersAndWhoNeedsIt() {
        Dataset d = classification();
        assertEquals(d, d.requireShape(d.numFeatures(), 3, "the network"));
        assertMessage(() -> d.requireShape(d.numFeatures() + 1, 3, "the network"),
                "has " + d.numFeatures() + " features and 3 classes, but the network takes " + (d.numFeatures() + 1) + " features and 3 classes");
        assertMessage(() -> d.requireShape(d.numFeatures(), 4, "the classifier"), "but the classifier takes");
        assertMessage(() -> regression().requireShape(regression().numFeatures(), 3, "the network"), "regression targets");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String expectedFragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment),
                "expected the message to contain \"" + expectedFragment + "\" but it was \"" + e.getMessage() + "\"");
    }
}
