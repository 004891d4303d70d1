package org.hypergrad4j.hypernets.hypernet;

import java.util.Random;
import org.hypergrad4j.data.Dataset;

/** Small seeded classification problems for the hypernetwork tests: Gaussian features, labels from a random linear map. */
final class HypernetTestData {
    private HypernetTestData() {
    }

    static Dataset gaussian(String name, int n, int features, int classes, long seed) {
        Random rnd = new Random(seed);
        double[][] truth = new double[features][classes];
        for (double[] row : truth) {
            for (int k = 0; k < classes; k++) {
                row[k] = rnd.nextGaussian();
            }
        }
        double[][] x = new double[n][features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double[] score = new double[classes];
            for (int j = 0; j < features; j++) {
                x[i][j] = rnd.nextGaussian();
                for (int k = 0; k < classes; k++) {
                    score[k] += x[i][j] * truth[j][k];
                }
            }
            int best = 0;
            for (int k = 1; k < classes; k++) {
                // noise so that the classes overlap and the decay matters
                if (score[k] + 0.5 * rnd.nextGaussian() > score[best]) {
                    best = k;
                }
            }
            y[i] = i < classes ? i : best;
        }
        return Dataset.classification(name, x, y, classes);
    }
}
