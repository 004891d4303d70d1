package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;

import static org.hypergrad4j.experiments.data.DatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SplitsTest {

    @Test
    void stratifiedSplitOfDigitsPreservesClassProportions() {
        Dataset digits = BundledDatasets.digits();
        Split split = Splits.stratified(digits, 0.6, 0.2, 0.2, 42);
        assertEquals("digits/train", split.train().name());
        assertEquals("digits/validation", split.validation().name());
        assertEquals("digits/test", split.test().name());
        int[] total = digits.classCounts();
        assertProportions(total, split.train().classCounts(), 0.6);
        assertProportions(total, split.validation().classCounts(), 0.2);
        assertProportions(total, split.test().classCounts(), 0.2);
        assertEquals(1797, split.train().numExamples() + split.validation().numExamples()
                + split.test().numExamples());
    }

    @Test
    void stratifiedIndicesAreDisjointCoverTheDataAndAreSorted() {
        Splits.IndexSplit split = Splits.stratifiedIndices(BundledDatasets.iris().labels(), 3, 0.5, 0.3, 0.2, 1);
        assertPartition(150, split);
        assertEquals(75, split.train().length);
        assertEquals(45, split.validation().length);
        assertEquals(30, split.test().length);
    }

    @Test
    void sameSeedGivesTheSameSplitAndAnotherSeedAnotherOne() {
        Dataset wine = BundledDatasets.wine();
        assertEquals(Splits.stratified(wine, 0.5, 0.25, 0.25, 9), Splits.stratified(wine, 0.5, 0.25, 0.25, 9));
        assertNotEquals(Splits.stratified(wine, 0.5, 0.25, 0.25, 9), Splits.stratified(wine, 0.5, 0.25, 0.25, 10));
        assertEquals(Splits.shuffledIndices(100, 0.7, 0.2, 0.1, 3), Splits.shuffledIndices(100, 0.7, 0.2, 0.1, 3));
        assertNotEquals(Splits.shuffledIndices(100, 0.7, 0.2, 0.1, 3), Splits.shuffledIndices(100, 0.7, 0.2, 0.1, 4));
    }

    @Test
    void splitPartsHoldTheOriginalRows() {
        Dataset breast = BundledDatasets.breastCancer();
        Splits.IndexSplit indices = Splits.stratifiedIndices(breast.labels(), 2, 0.7, 0.15, 0.15, 5);
        Split split = indices.apply(breast);
        int[] test = indices.test();
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(breast.row(test[k]), split.test().row(k));
            assertEquals(breast.label(test[k]), split.test().label(k));
        }
    }

    @Test
    void shuffledSplitOfRegressionDataCoversItWithTheRequestedSizes() {
        Dataset diabetes = BundledDatasets.diabetes();
        Split split = Splits.shuffled(diabetes, 0.6, 0.2, 0.2, 17);
        assertEquals(265, split.train().numExamples());
        assertEquals(89, split.validation().numExamples());
        assertEquals(88, split.test().numExamples());
        double total = Arrays.stream(split.train().targets()).sum() + Arrays.stream(split.validation().targets()).sum()
                + Arrays.stream(split.test().targets()).sum();
        assertEquals(67243.0, total, 1e-9);
    }

    @Test
    void fractionsSummingToLessThanOneLeaveExamplesOut() {
        Splits.IndexSplit split = Splits.shuffledIndices(1000, 0.1, 0.05, 0.05, 2);
        assertEquals(100, split.train().length);
        assertEquals(50, split.validation().length);
        assertEquals(50, split.test().length);
        assertDisjoint(split);
    }

    @Test
    void invalidFractionsAndArgumentsAreRejected() {
        Dataset iris = BundledDatasets.iris();
        assertMessage(() -> Splits.stratified(iris, 0.0, 0.5, 0.5, 1),
                "The training fraction must lie in the open interval (0, 1), but was 0.0.");
        assertMessage(() -> Splits.stratified(iris, 0.5, 1.0, 0.1, 1), "validation fraction must lie");
        assertMessage(() -> Splits.stratified(iris, 0.5, 0.2, -0.1, 1), "test fraction must lie in the open interval (0, 1), but was -0.1");
        assertMessage(() -> Splits.stratified(iris, 0.5, 0.2, Double.NaN, 1), "but was NaN");
        assertMessage(() -> Splits.stratified(iris, 0.5, 0.25, 0.5, 1),
                "The training, validation and test fractions 0.5, 0.25 and 0.5 sum to 1.25, but they must sum to at most 1.");
        assertMessage(() -> Splits.stratified(BundledDatasets.diabetes(), 0.6, 0.2, 0.2, 1),
                "Stratified splitting needs class labels, but data set 'diabetes' is a regression data set");
        assertMessage(() -> Splits.shuffledIndices(-5, 0.6, 0.2, 0.2, 1),
                "The number of examples to split must be at least 0, but was -5.");
        assertMessage(() -> Splits.stratifiedIndices(new int[] {0, 3}, 3, 0.6, 0.2, 0.2, 1),
                "Label 3 of example 1 is outside the allowed range [0, 2].");
        assertMessage(() -> Splits.stratified(null, 0.6, 0.2, 0.2, 1), "must not be null");
    }

    @Test
    void roundingErrorInFractionsStillCoversTheData() {
        // 0.7 + 0.1 + 0.2 is 0.9999999999999999 in binary floating point.
        assertPartition(101, Splits.shuffledIndices(101, 0.7, 0.1, 0.2, 8));
    }

    @Property(tries = 200, seed = "21")
    void stratifiedSplitsAreProportionalDisjointAndDeterministic(
            @ForAll @IntRange(min = 0, max = 400) int n,
            @ForAll @IntRange(min = 1, max = 8) int numClasses,
            @ForAll @DoubleRange(min = 0.01, max = 0.98) double trainFraction,
            @ForAll @DoubleRange(min = 0.01, max = 0.98) double validationShare,
            @ForAll long seed) {
        double validationFraction = Math.max(0.001, (1 - trainFraction) * validationShare);
        double testFraction = 1 - trainFraction - validationFraction;
        if (!(testFraction > 0)) {
            return;
        }
        int[] labels = new SplittableRandom(seed).ints(n, 0, numClasses).toArray();
        Splits.IndexSplit split = Splits.stratifiedIndices(labels, numClasses, trainFraction, validationFraction,
                testFraction, seed);
        assertPartition(n, split);
        int[] total = classCounts(labels, numClasses, null);
        assertProportions(total, classCounts(labels, numClasses, split.train()), trainFraction);
        assertProportions(total, classCounts(labels, numClasses, split.validation()), validationFraction);
        assertProportions(total, classCounts(labels, numClasses, split.test()), testFraction);
        assertEquals(split, Splits.stratifiedIndices(labels, numClasses, trainFraction, validationFraction,
                testFraction, seed));
    }

    @Property(tries = 100, seed = "23")
    void partialSplitsAreDisjointAndWithinOneOfTheirFraction(
            @ForAll @IntRange(min = 0, max = 500) int n,
            @ForAll @DoubleRange(min = 0.01, max = 0.33) double a,
            @ForAll @DoubleRange(min = 0.01, max = 0.33) double b,
            @ForAll @DoubleRange(min = 0.01, max = 0.33) double c,
            @ForAll long seed) {
        Splits.IndexSplit split = Splits.shuffledIndices(n, a, b, c, seed);
        assertDisjoint(split);
        assertTrue(Math.abs(split.train().length - a * n) <= 1, "train size " + split.train().length);
        assertTrue(Math.abs(split.validation().length - b * n) <= 1, "validation size " + split.validation().length);
        assertTrue(Math.abs(split.test().length - c * n) <= 1, "test size " + split.test().length);
    }

    // ------------------------------------------------------------------------------------------------

    /** Counts labels per class: over all examples if {@code indices} is null, else over the indices. */
    private static int[] classCounts(int[] labels, int numClasses, int[] indices) {
        int[] counts = new int[numClasses];
        if (indices == null) {
            for (int label : labels) {
                counts[label]++;
            }
        } else {
            for (int i : indices) {
                counts[labels[i]]++;
            }
        }
        return counts;
    }

    private static void assertProportions(int[] total, int[] part, double fraction) {
        for (int c = 0; c < total.length; c++) {
            double expected = fraction * total[c];
            assertTrue(Math.abs(part[c] - expected) <= 1.0, "class " + c + ": " + part[c] + " examples, but "
                    + fraction + " × " + total[c] + " = " + expected);
        }
    }

    private static void assertDisjoint(Splits.IndexSplit split) {
        int[][] parts = {split.train(), split.validation(), split.test()};
        Set<Integer> seen = new HashSet<>();
        for (int[] part : parts) {
            for (int k = 0; k < part.length; k++) {
                assertTrue(seen.add(part[k]), "index " + part[k] + " occurs twice");
                if (k > 0) {
                    assertTrue(part[k - 1] < part[k], "indices are sorted");
                }
            }
        }
    }

    private static void assertPartition(int n, Splits.IndexSplit split) {
        assertDisjoint(split);
        int[] all = new int[split.train().length + split.validation().length + split.test().length];
        int k = 0;
        for (int[] part : new int[][] {split.train(), split.validation(), split.test()}) {
            for (int i : part) {
                all[k++] = i;
            }
        }
        Arrays.sort(all);
        int[] expected = new int[n];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, all, "the parts cover [0, n) exactly once");
    }
}
