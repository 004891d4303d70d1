package org.hypergrad4j.bilevel.problem;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classification examples: features {@code [n, d]} (float64 copy) and integer labels in {@code [0, classes)}.
 * Validated on construction: at least one example, finite features, labels in range.
 */
public final class LabeledData {
    private final String name;
    private final double[][] features;
    private final int[] labels;
    private final int classes;

    public LabeledData(String name, double[][] features, int[] labels, int classes) {
        this.name = Objects.requireNonNull(name, "name");
        if (features == null || labels == null || features.length == 0) {
            throw new IllegalArgumentException("Data set '" + name + "' is empty: at least one example is needed.");
        }
        if (features.length != labels.length) {
            throw new IllegalArgumentException("Data set '" + name + "' has " + features.length + " feature rows but " + labels.length + " labels.");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("Data set '" + name + "' needs at least 2 classes, got " + classes + ".");
        }
        int d = features[0].length;
        this.features = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("Data set '" + name + "': row " + i + " has " + features[i].length + " features, row 0 has " + d + ".");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(features[i][j])) {
                    throw new IllegalArgumentException("Data set '" + name + "': feature " + j + " of example " + i + " is " + features[i][j]
                            + "; remove or impute non-finite values first.");
                }
            }
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Data set '" + name + "': label " + labels[i] + " of example " + i
                        + " lies outside [0, " + (classes - 1) + "].");
            }
            this.features[i] = features[i].clone();
        }
        this.labels = labels.clone();
        this.classes = classes;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return features[0].length;
    }

    public int classes() {
        return classes;
    }

    public int[] labels() {
        return labels.clone();
    }

    /** Features {@code [n, d]} in {@code type}. */
    public INDArray featureArray(DataType type) {
        return Nd4j.createFromArray(features).castTo(type);
    }

    /** One-hot labels {@code [n, classes]} in {@code type}. */
    public INDArray oneHot(DataType type) {
        INDArray y = Nd4j.zeros(type, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    /** The examples at {@code indices}, in that order. */
    public LabeledData subset(String subsetName, int[] indices) {
        double[][] f = new double[indices.length][];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            f[k] = features[indices[k]];
            l[k] = labels[indices[k]];
        }
        return new LabeledData(subsetName, f, l, classes);
    }

    /** A copy with labels replaced (e.g. to flip some for hyper-cleaning experiments). */
    public LabeledData withLabels(int[] newLabels) {
        return new LabeledData(name, features, newLabels, classes);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " × " + featureCount() + ", " + classes + " classes, counts "
                + Arrays.toString(Arrays.stream(labels).collect(() -> new int[classes], (c, v) -> c[v]++, (a, b) -> { })) + ")";
    }
}
