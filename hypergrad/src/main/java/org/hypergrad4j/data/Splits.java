package org.hypergrad4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded train/validation/test splits: stratified by class for classification, plain shuffled for regression
 * (or for classification when stratification is not wanted).
 *
 * <h2>Fractions</h2>
 * The three fractions must each lie in the open interval {@code (0, 1)} and sum to at most 1 (a sum that
 * exceeds 1 by no more than {@code 1e-9}, from floating-point rounding, counts as 1). When they sum to 1,
 * the three parts cover the data; when they sum to less, the leftover examples belong to no part (useful for
 * reduced-scale experiments).
 *
 * <h2>Sizes</h2>
 * Within each group (each class when stratifying, the whole data set otherwise) of {@code m} examples, part
 * sizes come from rounding cumulative fractions to the nearest integer (halves up):
 * {@code |train| = round(f_train m)}, {@code |train| + |validation| = round((f_train + f_validation) m)},
 * {@code |train| + |validation| + |test| = round((f_train + f_validation + f_test) m)} (or {@code m} if the
 * fractions sum to 1). Hence each part holds its fraction of each group to within one example
 * ({@code |size − f m| ≤ 1}; {@code ≤ 0.5} for the training part). A part may be empty when groups are tiny.
 *
 * <h2>Determinism</h2>
 * One {@link SplittableRandom} seeded with {@code seed} shuffles each group in turn (classes in increasing
 * label order) with the Fisher-Yates algorithm; the parts are then taken in order train, validation, test
 * and their indices sorted ascending. The same data, fractions and seed always give the same split.
 * The parts are pairwise disjoint.
 */
public final class Splits {

    private static final double SUM_TOLERANCE = 1e-9;

    private Splits() {
    }

    /**
     * The example indices of a split: three pairwise disjoint, ascending arrays of indices into the original
     * data. Accessors return fresh copies.
     */
    public static final class IndexSplit {
        private final int[] train;
        private final int[] validation;
        private final int[] test;

        IndexSplit(int[] train, int[] validation, int[] test) {
            this.train = train;
            this.validation = validation;
            this.test = test;
        }

        /**
         * Returns the training indices.
         *
         * @return a fresh ascending array
         */
        public int[] train() {
            return train.clone();
        }

        /**
         * Returns the validation indices.
         *
         * @return a fresh ascending array
         */
        public int[] validation() {
            return validation.clone();
        }

        /**
         * Returns the test indices.
         *
         * @return a fresh ascending array
         */
        public int[] test() {
            return test.clone();
        }

        /**
         * Applies these indices to a data set.
         *
         * @param data the data set the indices were computed for
         * @return the three parts, named {@code <name>/train}, {@code <name>/validation}, {@code <name>/test}
         * @throws IllegalArgumentException if an index is out of range for {@code data}
         */
        public Split apply(Dataset data) {
            if (data == null) {
                throw new IllegalArgumentException("The data set to split must not be null.");
            }
            return new Split(data.subset(train).withName(data.name() + "/train"),
                    data.subset(validation).withName(data.name() + "/validation"),
                    data.subset(test).withName(data.name() + "/test"));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IndexSplit that && Arrays.equals(train, that.train)
                    && Arrays.equals(validation, that.validation) && Arrays.equals(test, that.test);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(train) + Arrays.hashCode(validation)) + Arrays.hashCode(test);
        }

        @Override
        public String toString() {
            return "IndexSplit[train=" + train.length + ", validation=" + validation.length + ", test="
                    + test.length + "]";
        }
    }

    /**
     * Splits a classification data set, stratified by class.
     *
     * @param data               a classification data set
     * @param trainFraction      in {@code (0, 1)}
     * @param validationFraction in {@code (0, 1)}
     * @param testFraction       in {@code (0, 1)}; the three fractions sum to at most 1
     * @param seed               the seed
     * @return the three parts
     * @throws IllegalArgumentException if the data set is null or not a classification data set, or the
     *     fractions are invalid
     */
    public static Split stratified(Dataset data, double trainFraction, double validationFraction,
            double testFraction, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("The data set to split must not be null.");
        }
        if (!data.isClassification()) {
            throw new IllegalArgumentException("Stratified splitting needs class labels, but data set '"
                    + data.name() + "' is a regression data set; use Splits.shuffled instead.");
        }
        return stratifiedIndices(data.labelsView(), data.numClasses(), trainFraction, validationFraction,
                testFraction, seed).apply(data);
    }

    /**
     * A {@linkplain #stratified stratified} split of {@code data}, standardised with the means and standard
     * deviations of its training part ({@link Standardizer}): the one way the experiments prepare their data.
     *
     * @throws IllegalArgumentException as {@link #stratified}
     */
    public static Split standardised(Dataset data, double trainFraction, double validationFraction, double testFraction,
            long seed) {
        Split split = stratified(data, trainFraction, validationFraction, testFraction, seed);
        Standardizer standardizer = Standardizer.fit(split.train());
        return new Split(standardizer.apply(split.train()), standardizer.apply(split.validation()),
                standardizer.apply(split.test()));
    }

    /**
     * Computes a stratified split of labelled examples.
     *
     * @param labels             the labels, each in {@code [0, numClasses)}
     * @param numClasses         the number of classes, {@code ≥ 1}
     * @param trainFraction      in {@code (0, 1)}
     * @param validationFraction in {@code (0, 1)}
     * @param testFraction       in {@code (0, 1)}; the three fractions sum to at most 1
     * @param seed               the seed
     * @return the indices of the three parts
     * @throws IllegalArgumentException if the labels are null or out of range, or the fractions are invalid
     */
    public static IndexSplit stratifiedIndices(int[] labels, int numClasses, double trainFraction,
            double validationFraction, double testFraction, long seed) {
        boolean coversAll = checkFractions(trainFraction, validationFraction, testFraction);
        if (labels == null) {
            throw new IllegalArgumentException("The labels to split must not be null.");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("The number of classes must be at least 1, but was " + numClasses
                    + ".");
        }
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Label " + labels[i] + " of example " + i
                        + " is outside the allowed range [0, " + (numClasses - 1) + "].");
            }
            counts[labels[i]]++;
        }
        int[][] groups = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            groups[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            groups[labels[i]][fill[labels[i]]++] = i;
        }
        return split(groups, labels.length, trainFraction, validationFraction, testFraction, coversAll, seed);
    }

    /**
     * Splits any data set after a plain (unstratified) seeded shuffle.
     *
     * @param data               the data set
     * @param trainFraction      in {@code (0, 1)}
     * @param validationFraction in {@code (0, 1)}
     * @param testFraction       in {@code (0, 1)}; the three fractions sum to at most 1
     * @param seed               the seed
     * @return the three parts
     * @throws IllegalArgumentException if the data set is null or the fractions are invalid
     */
    public static Split shuffled(Dataset data, double trainFraction, double validationFraction,
            double testFraction, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("The data set to split must not be null.");
        }
        return shuffledIndices(data.numExamples(), trainFraction, validationFraction, testFraction, seed)
                .apply(data);
    }

    /**
     * Computes a plain seeded shuffle split of {@code n} examples.
     *
     * @param n                  the number of examples, {@code ≥ 0}
     * @param trainFraction      in {@code (0, 1)}
     * @param validationFraction in {@code (0, 1)}
     * @param testFraction       in {@code (0, 1)}; the three fractions sum to at most 1
     * @param seed               the seed
     * @return the indices of the three parts
     * @throws IllegalArgumentException if {@code n} is negative or the fractions are invalid
     */
    public static IndexSplit shuffledIndices(int n, double trainFraction, double validationFraction,
            double testFraction, long seed) {
        boolean coversAll = checkFractions(trainFraction, validationFraction, testFraction);
        if (n < 0) {
            throw new IllegalArgumentException("The number of examples to split must be at least 0, but was " + n
                    + ".");
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return split(new int[][] {all}, n, trainFraction, validationFraction, testFraction, coversAll, seed);
    }

    // ------------------------------------------------------------------------------------------------

    /** Validates the fractions and returns whether they sum to 1 (within tolerance). */
    private static boolean checkFractions(double train, double validation, double test) {
        checkFraction("training", train);
        checkFraction("validation", validation);
        checkFraction("test", test);
        double sum = train + validation + test;
        if (sum > 1.0 + SUM_TOLERANCE) {
            throw new IllegalArgumentException("The training, validation and test fractions " + train + ", "
                    + validation + " and " + test + " sum to " + sum + ", but they must sum to at most 1.");
        }
        return sum >= 1.0 - SUM_TOLERANCE;
    }

    private static void checkFraction(String part, double fraction) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("The " + part + " fraction must lie in the open interval (0, 1),"
                    + " but was " + fraction + ".");
        }
    }

    private static IndexSplit split(int[][] groups, int n, double trainFraction, double validationFraction,
            double testFraction, boolean coversAll, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] train = new int[n];
        int[] validation = new int[n];
        int[] test = new int[n];
        int nTrain = 0;
        int nValidation = 0;
        int nTest = 0;
        double cumulativeValidation = trainFraction + validationFraction;
        double cumulativeTest = cumulativeValidation + testFraction;
        for (int[] group : groups) {
            int m = group.length;
            int[] order = group.clone();
            for (int i = m - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            int endTrain = boundary(trainFraction, m);
            int endValidation = boundary(cumulativeValidation, m);
            int endTest = coversAll ? m : boundary(cumulativeTest, m);
            for (int k = 0; k < endTrain; k++) {
                train[nTrain++] = order[k];
            }
            for (int k = endTrain; k < endValidation; k++) {
                validation[nValidation++] = order[k];
            }
            for (int k = endValidation; k < endTest; k++) {
                test[nTest++] = order[k];
            }
        }
        return new IndexSplit(sorted(train, nTrain), sorted(validation, nValidation), sorted(test, nTest));
    }

    private static int boundary(double cumulativeFraction, int m) {
        return (int) Math.min(m, Math.round(cumulativeFraction * m));
    }

    private static int[] sorted(int[] values, int length) {
        int[] result = Arrays.copyOf(values, length);
        Arrays.sort(result);
        return result;
    }
}
