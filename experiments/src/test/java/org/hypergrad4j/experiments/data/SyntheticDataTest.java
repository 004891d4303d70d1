package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import static org.hypergrad4j.experiments.data.DatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {

    @Test
    void linearRegressionIsReproducibleForASeedAndDiffersForAnother() {
        SyntheticData.LinearRegressionProblem a = SyntheticData.linearRegression(50, 4, 0.1, 7);
        SyntheticData.LinearRegressionProblem b = SyntheticData.linearRegression(50, 4, 0.1, 7);
        SyntheticData.LinearRegressionProblem c = SyntheticData.linearRegression(50, 4, 0.1, 8);
        assertEquals(a.data(), b.data());
        assertArrayEquals(a.trueWeights(), b.trueWeights());
        assertNotEquals(a.data(), c.data());
        assertFalse(Arrays.equals(a.trueWeights(), c.trueWeights()));
        assertEquals(7, a.seed());
        assertEquals(0.1, a.noiseStd());
        assertEquals(Dataset.Task.REGRESSION, a.data().task());
        assertEquals(50, a.data().numExamples());
        assertEquals(4, a.data().numFeatures());
        assertEquals(4, a.trueWeights().length);
    }

    @Test
    void featuresDoNotDependOnTheNoiseLevel() {
        Dataset clean = SyntheticData.linearRegression(20, 3, 0.0, 5).data();
        Dataset noisy = SyntheticData.linearRegression(20, 3, 2.0, 5).data();
        assertTrue(Arrays.deepEquals(clean.features(), noisy.features()));
        assertFalse(Arrays.equals(clean.targets(), noisy.targets()));
    }

    @Test
    void leastSquaresOnNoiseFreeDataRecoversTheTrueWeights() {
        SyntheticData.LinearRegressionProblem problem = SyntheticData.linearRegression(40, 6, 0.0, 123);
        double[] estimate = leastSquares(problem.data().features(), problem.data().targets());
        double[] truth = problem.trueWeights();
        for (int j = 0; j < truth.length; j++) {
            assertEquals(truth[j], estimate[j], 1e-9, "weight " + j);
        }
    }

    @Test
    void residualsOfNoisyDataHaveTheRequestedStandardDeviation() {
        SyntheticData.LinearRegressionProblem problem = SyntheticData.linearRegression(20_000, 3, 0.5, 99);
        double[] w = problem.trueWeights();
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < 20_000; i++) {
            double r = problem.data().target(i);
            for (int j = 0; j < 3; j++) {
                r -= problem.data().feature(i, j) * w[j];
            }
            sum += r;
            squares += r * r;
        }
        double mean = sum / 20_000;
        double std = Math.sqrt(squares / 20_000 - mean * mean);
        assertEquals(0.0, mean, 0.02, "noise mean");
        assertEquals(0.5, std, 0.02, "noise standard deviation");
    }

    @Test
    void logisticClassificationIsReproducibleAndHasCanonicalWeights() {
        SyntheticData.LogisticClassificationProblem a = SyntheticData.logisticClassification(300, 5, 4, 11);
        SyntheticData.LogisticClassificationProblem b = SyntheticData.logisticClassification(300, 5, 4, 11);
        SyntheticData.LogisticClassificationProblem c = SyntheticData.logisticClassification(300, 5, 4, 12);
        assertEquals(a.data(), b.data());
        assertTrue(Arrays.deepEquals(a.trueWeights(), b.trueWeights()));
        assertNotEquals(a.data(), c.data());
        assertFalse(Arrays.deepEquals(a.trueWeights(), c.trueWeights()));
        double[][] w = a.trueWeights();
        assertEquals(5, w.length);
        for (double[] row : w) {
            assertEquals(4, row.length);
            assertEquals(0.0, Arrays.stream(row).sum(), 1e-12, "each weight row sums to zero");
        }
        assertEquals(4, a.data().numClasses());
        for (int count : a.data().classCounts()) {
            assertTrue(count > 0, "every class occurs in 300 examples: " + Arrays.toString(a.data().classCounts()));
        }
    }

    @Test
    void labelsFollowTheTrueModel() {
        SyntheticData.LogisticClassificationProblem problem = SyntheticData.logisticClassification(5_000, 4, 3, 2024);
        double[][] w = problem.trueWeights();
        Dataset data = problem.data();
        double logLikelihoodTrue = 0;
        int agree = 0;
        for (int i = 0; i < data.numExamples(); i++) {
            double[] z = new double[3];
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < 4; j++) {
                    z[c] += data.feature(i, j) * w[j][c];
                }
            }
            int argmax = 0;
            for (int c = 1; c < 3; c++) {
                if (z[c] > z[argmax]) {
                    argmax = c;
                }
            }
            if (argmax == data.label(i)) {
                agree++;
            }
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            double logNorm = max + Math.log(Math.exp(z[0] - max) + Math.exp(z[1] - max) + Math.exp(z[2] - max));
            logLikelihoodTrue += z[data.label(i)] - logNorm;
        }
        double accuracy = agree / 5_000.0;
        assertTrue(accuracy > 0.6, "the Bayes classifier should beat chance (1/3) clearly, but had " + accuracy);
        double perExample = logLikelihoodTrue / 5_000;
        assertTrue(perExample > Math.log(1.0 / 3), "the true model should beat the uniform model, but had mean"
                + " log-likelihood " + perExample);
    }

    @Test
    void invalidSizesAreRejected() {
        assertMessage(() -> SyntheticData.linearRegression(-1, 3, 0.1, 0),
                "The number of examples n must be at least 1, but was -1.");
        assertMessage(() -> SyntheticData.linearRegression(10, 0, 0.1, 0),
                "The number of features d must be at least 1, but was 0.");
        assertMessage(() -> SyntheticData.linearRegression(10, 3, -0.1, 0),
                "The noise standard deviation must be finite and at least 0, but was -0.1.");
        assertMessage(() -> SyntheticData.linearRegression(10, 3, Double.NaN, 0), "but was NaN");
        assertMessage(() -> SyntheticData.logisticClassification(10, 3, 1, 0),
                "The number of classes must be at least 2, but was 1.");
        assertMessage(() -> SyntheticData.logisticClassification(0, 3, 2, 0), "must be at least 1, but was 0");
    }

    /** Solves min ||X w − y|| through the normal equations with partially pivoted Gaussian elimination. */
    private static double[] leastSquares(double[][] x, double[] y) {
        int d = x[0].length;
        double[][] a = new double[d][d + 1];
        for (double[] row : x) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    a[p][q] += row[p] * row[q];
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < d; p++) {
                a[p][d] += x[i][p] * y[i];
            }
        }
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = col + 1; r < d; r++) {
                double factor = a[r][col] / a[col][col];
                for (int c = col; c <= d; c++) {
                    a[r][c] -= factor * a[col][c];
                }
            }
        }
        double[] w = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int c = r + 1; c < d; c++) {
                s -= a[r][c] * w[c];
            }
            w[r] = s / a[r][r];
        }
        return w;
    }
}
