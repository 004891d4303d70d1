package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import java.util.SplittableRandom;

/**
 * Seeded synthetic problems whose true parameters are known, for checking that an optimiser recovers them.
 *
 * <h2>Reproducibility</h2>
 * Each generator draws from one {@link SplittableRandom} seeded with {@code seed}, in a fixed, documented
 * order, and derives Gaussian variates from {@link SplittableRandom#nextDouble()} with the Marsaglia polar
 * method implemented here (not the JDK's {@code nextGaussian}, whose algorithm has changed between JDK
 * releases), using {@link StrictMath} for the transcendental functions. The same arguments therefore give
 * bit-identical data on every platform and JDK; a different seed gives different data.
 */
public final class SyntheticData {

    private SyntheticData() {
    }

    /**
     * A linear-regression problem {@code y = X w + ε} and its true weights.
     *
     * <p>Invariants: {@code data()} is a regression data set with {@code n} examples and {@code d} features;
     * {@code trueWeights()} has length {@code d}; if {@code noiseStd() == 0}, then
     * {@code data().target(i) == Σ_j data().feature(i, j) · trueWeights()[j]} up to floating-point rounding.
     */
    public static final class LinearRegressionProblem {
        private final Dataset data;
        private final double[] trueWeights;
        private final double noiseStd;
        private final long seed;

        private LinearRegressionProblem(Dataset data, double[] trueWeights, double noiseStd, long seed) {
            this.data = data;
            this.trueWeights = trueWeights;
            this.noiseStd = noiseStd;
            this.seed = seed;
        }

        /**
         * Returns the data.
         *
         * @return the regression data set
         */
        public Dataset data() {
            return data;
        }

        /**
         * Returns the weights that generated the targets.
         *
         * @return a fresh array of length {@code d}
         */
        public double[] trueWeights() {
            return trueWeights.clone();
        }

        /**
         * Returns the noise level.
         *
         * @return the standard deviation of the additive Gaussian noise, {@code ≥ 0}
         */
        public double noiseStd() {
            return noiseStd;
        }

        /**
         * Returns the seed.
         *
         * @return the seed the problem was generated from
         */
        public long seed() {
            return seed;
        }
    }

    /**
     * A multinomial-logistic classification problem and its true weight matrix.
     *
     * <p>Invariants: {@code data()} is a classification data set with {@code n} examples, {@code d} features
     * and {@code C} classes; {@code trueWeights()} is {@code d × C}, and each of its rows sums to zero (up to
     * rounding). Softmax weights are identifiable only up to adding the same vector to every column, and the
     * zero-row-sum matrix is the canonical representative of that equivalence class.
     */
    public static final class LogisticClassificationProblem {
        private final Dataset data;
        private final double[][] trueWeights;
        private final long seed;

        private LogisticClassificationProblem(Dataset data, double[][] trueWeights, long seed) {
            this.data = data;
            this.trueWeights = trueWeights;
            this.seed = seed;
        }

        /**
         * Returns the data.
         *
         * @return the classification data set
         */
        public Dataset data() {
            return data;
        }

        /**
         * Returns the weights that generated the labels.
         *
         * @return a fresh {@code d × C} array; {@code P(y = c | x) ∝ exp(Σ_j x_j W[j][c])}
         */
        public double[][] trueWeights() {
            double[][] copy = new double[trueWeights.length][];
            for (int j = 0; j < trueWeights.length; j++) {
                copy[j] = trueWeights[j].clone();
            }
            return copy;
        }

        /**
         * Returns the seed.
         *
         * @return the seed the problem was generated from
         */
        public long seed() {
            return seed;
        }
    }

    /**
     * Generates {@code y = X w + ε}. Draw order: the {@code d} weights {@code w_j ~ N(0, 1)}; then, for each
     * example in turn, its {@code d} features {@code x_ij ~ N(0, 1)} followed by its noise
     * {@code ε_i ~ N(0, noiseStd²)} (a standard normal variate is drawn and scaled even when
     * {@code noiseStd = 0}, so the features do not depend on the noise level).
     *
     * @param n        the number of examples, {@code ≥ 1}
     * @param d        the number of features, {@code ≥ 1}
     * @param noiseStd the noise standard deviation, finite and {@code ≥ 0}
     * @param seed     the seed
     * @return the data set (named {@code linear-regression}) and its true weights
     * @throws IllegalArgumentException if a size is below 1 or {@code noiseStd} is negative or not finite
     */
    public static LinearRegressionProblem linearRegression(int n, int d, double noiseStd, long seed) {
        requireAtLeast("number of examples n", n, 1);
        requireAtLeast("number of features d", d, 1);
        if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
            throw new IllegalArgumentException("The noise standard deviation must be finite and at least 0, but was "
                    + noiseStd + ".");
        }
        Normal normal = new Normal(new SplittableRandom(seed));
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = normal.next();
        }
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] row = x[i];
            double dot = 0.0;
            for (int j = 0; j < d; j++) {
                row[j] = normal.next();
                dot += row[j] * w[j];
            }
            y[i] = dot + noiseStd * normal.next();
        }
        Dataset data = Dataset.ownedRegression("linear-regression", x, d, y, null);
        return new LinearRegressionProblem(data, w, noiseStd, seed);
    }

    /**
     * Generates a multinomial-logistic problem. Draw order: the weight matrix {@code W} row by row,
     * {@code W[j][c] ~ N(0, 1)}, after which each row is centred to sum to zero; then, for each example in
     * turn, its {@code d} features {@code x_ij ~ N(0, 1)} followed by one uniform variate that samples its
     * label from {@code softmax(x_i W)} by inversion. Every class has positive probability, but a small
     * {@code n} need not contain every class.
     *
     * @param n       the number of examples, {@code ≥ 1}
     * @param d       the number of features, {@code ≥ 1}
     * @param classes the number of classes, {@code ≥ 2}
     * @param seed    the seed
     * @return the data set (named {@code logistic-classification}) and its true weight matrix
     * @throws IllegalArgumentException if a size is out of range
     */
    public static LogisticClassificationProblem logisticClassification(int n, int d, int classes, long seed) {
        requireAtLeast("number of examples n", n, 1);
        requireAtLeast("number of features d", d, 1);
        requireAtLeast("number of classes", classes, 2);
        SplittableRandom random = new SplittableRandom(seed);
        Normal normal = new Normal(random);
        double[][] w = new double[d][classes];
        for (int j = 0; j < d; j++) {
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                w[j][c] = normal.next();
                sum += w[j][c];
            }
            double mean = sum / classes;
            for (int c = 0; c < classes; c++) {
                w[j][c] -= mean;
            }
        }
        double[][] x = new double[n][d];
        int[] labels = new int[n];
        double[] logits = new double[classes];
        for (int i = 0; i < n; i++) {
            double[] row = x[i];
            for (int j = 0; j < d; j++) {
                row[j] = normal.next();
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double z = 0.0;
                for (int j = 0; j < d; j++) {
                    z += row[j] * w[j][c];
                }
                logits[c] = z;
                max = Math.max(max, z);
            }
            double total = 0.0;
            for (int c = 0; c < classes; c++) {
                logits[c] = StrictMath.exp(logits[c] - max);
                total += logits[c];
            }
            double u = random.nextDouble() * total;
            int label = classes - 1;
            double cumulative = 0.0;
            for (int c = 0; c < classes; c++) {
                cumulative += logits[c];
                if (u < cumulative) {
                    label = c;
                    break;
                }
            }
            labels[i] = label;
        }
        Dataset data = Dataset.ownedClassification("logistic-classification", x, d, labels, classes, null, null);
        return new LogisticClassificationProblem(data, w, seed);
    }

    private static void requireAtLeast(String what, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("The " + what + " must be at least " + minimum + ", but was "
                    + value + ".");
        }
    }

    /** Standard normal variates by the Marsaglia polar method, caching the second variate of each pair. */
    private static final class Normal {
        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        Normal(SplittableRandom random) {
            this.random = random;
        }

        double next() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u;
            double v;
            double s;
            do {
                u = 2.0 * random.nextDouble() - 1.0;
                v = 2.0 * random.nextDouble() - 1.0;
                s = u * u + v * v;
            } while (s >= 1.0 || s == 0.0);
            double factor = StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
            spare = v * factor;
            hasSpare = true;
            return u * factor;
        }
    }
}
