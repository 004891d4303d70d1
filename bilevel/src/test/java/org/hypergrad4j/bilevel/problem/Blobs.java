package org.hypergrad4j.bilevel.problem;

import org.hypergrad4j.data.Dataset;

import java.util.Random;

/** Gaussian blobs: class k centred at a random point, unit noise; for tests. */
public final class Blobs {
    private Blobs() {
    }

    public static Dataset make(String name, int n, int features, int classes, double separation, long seed) {
        Random centres = new Random(1234);
        double[][] mu = new double[classes][features];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < features; j++) {
                mu[k][j] = separation * centres.nextGaussian();
            }
        }
        Random rnd = new Random(seed);
        double[][] x = new double[n][features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < features; j++) {
                x[i][j] = mu[y[i]][j] + rnd.nextGaussian();
            }
        }
        return Dataset.classification(name, x, y, classes);
    }
}
