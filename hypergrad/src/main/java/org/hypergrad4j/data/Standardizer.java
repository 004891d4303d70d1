package org.hypergrad4j.data;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code z = (x − mean) / std}, fitted on training data only and then applied to
 * any split, so no statistic of validation or test data leaks into training.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@code means()} and {@code stds()} have length {@code numFeatures() ≥ 1}; every mean is finite and
 *       every std is finite and strictly positive.</li>
 *   <li>The std is the population standard deviation (divisor {@code n}, not {@code n − 1}), so the
 *       standardised training features have mean 0 and population std 1 in every non-constant column (up to
 *       rounding).</li>
 *   <li>A constant column (all training values equal) gets mean = that value and std = 1, so it standardises
 *       to exactly 0 on the training data instead of dividing by zero.</li>
 * </ul>
 * Instances are immutable.
 */
public final class Standardizer {

    private final double[] means;
    private final double[] stds;

    private Standardizer(double[] means, double[] stds) {
        this.means = means;
        this.stds = stds;
    }

    /**
     * Fits the statistics on the features of a training data set.
     *
     * @param training the training part, with at least one example
     * @return the fitted standardiser
     * @throws IllegalArgumentException if the data set is null or empty
     */
    public static Standardizer fit(Dataset training) {
        if (training == null) {
            throw new IllegalArgumentException("The training data set to fit the standardiser on must not be null.");
        }
        if (training.numExamples() == 0) {
            throw new IllegalArgumentException("The standardiser cannot be fitted on data set '" + training.name()
                    + "' because it has no examples.");
        }
        int n = training.numExamples();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = training.rowView(i);
        }
        return fitRows(rows, training.numFeatures());
    }

    /**
     * Fits the statistics on a training feature matrix.
     *
     * @param features an {@code n × d} matrix with {@code n ≥ 1}, {@code d ≥ 1}, finite entries
     * @return the fitted standardiser
     * @throws IllegalArgumentException if the matrix is null, empty, ragged or has a non-finite entry
     */
    public static Standardizer fit(double[][] features) {
        int d = checkMatrix(features, -1, "training feature matrix");
        if (features.length == 0) {
            throw new IllegalArgumentException("The standardiser cannot be fitted on a feature matrix with no rows.");
        }
        return fitRows(features, d);
    }

    private static Standardizer fitRows(double[][] rows, int d) {
        int n = rows.length;
        double[] means = new double[d];
        double[] stds = new double[d];
        for (int j = 0; j < d; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0.0;
            for (double[] row : rows) {
                double v = row[j];
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (min == max) {
                means[j] = min;
                stds[j] = 1.0;
                continue;
            }
            double mean = sum / n;
            double squares = 0.0;
            for (double[] row : rows) {
                double deviation = row[j] - mean;
                squares += deviation * deviation;
            }
            double std = Math.sqrt(squares / n);
            if (!Double.isFinite(mean) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("Column " + j + " of the training features overflows double"
                        + " precision (mean " + mean + ", std " + std + "); rescale the data before standardising.");
            }
            means[j] = mean;
            stds[j] = std > 0.0 ? std : 1.0;
        }
        return new Standardizer(means, stds);
    }

    /**
     * Returns the number of features.
     *
     * @return {@code d ≥ 1}
     */
    public int numFeatures() {
        return means.length;
    }

    /**
     * Returns the fitted means.
     *
     * @return a fresh array of {@code d} finite means
     */
    public double[] means() {
        return means.clone();
    }

    /**
     * Returns the fitted standard deviations.
     *
     * @return a fresh array of {@code d} finite, strictly positive standard deviations
     */
    public double[] stds() {
        return stds.clone();
    }

    /**
     * Standardises the features of a data set; labels or targets and names are kept.
     *
     * @param data a data set with {@code numFeatures()} features (any split, possibly empty)
     * @return a new data set whose feature {@code (i, j)} is {@code (x_ij − mean_j) / std_j}
     * @throws IllegalArgumentException if the data set is null or has a different number of features
     */
    public Dataset apply(Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException("The data set to standardise must not be null.");
        }
        requireFeatures(data.numFeatures(), "data set '" + data.name() + "'");
        double[][] out = new double[data.numExamples()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = transform(data.rowView(i));
        }
        return data.withOwnedFeatures(out);
    }

    /**
     * Standardises a feature matrix.
     *
     * @param features an {@code n × numFeatures()} matrix with finite entries ({@code n ≥ 0})
     * @return a fresh matrix whose entry {@code (i, j)} is {@code (x_ij − mean_j) / std_j}
     * @throws IllegalArgumentException if the matrix is null, ragged, has a non-finite entry or the wrong
     *     number of columns
     */
    public double[][] apply(double[][] features) {
        checkMatrix(features, means.length, "feature matrix to standardise");
        double[][] out = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            out[i] = transform(features[i]);
        }
        return out;
    }

    /**
     * Undoes the standardisation: {@code x = z · std + mean}.
     *
     * @param standardized an {@code n × numFeatures()} matrix with finite entries ({@code n ≥ 0})
     * @return a fresh matrix in the original units
     * @throws IllegalArgumentException if the matrix is null, ragged, has a non-finite entry or the wrong
     *     number of columns
     */
    public double[][] invert(double[][] standardized) {
        checkMatrix(standardized, means.length, "standardised matrix to invert");
        double[][] out = new double[standardized.length][means.length];
        for (int i = 0; i < standardized.length; i++) {
            for (int j = 0; j < means.length; j++) {
                out[i][j] = standardized[i][j] * stds[j] + means[j];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Standardizer[means=" + Arrays.toString(means) + ", stds=" + Arrays.toString(stds) + "]";
    }

    private double[] transform(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - means[j]) / stds[j];
        }
        return out;
    }

    private void requireFeatures(int d, String what) {
        if (d != means.length) {
            throw new IllegalArgumentException("The standardiser was fitted on " + means.length
                    + " features, but " + what + " has " + d + ".");
        }
    }

    /** Validates a matrix; returns its width (the expected width, or that of row 0 when expected is -1). */
    private static int checkMatrix(double[][] matrix, int expectedWidth, String what) {
        if (matrix == null) {
            throw new IllegalArgumentException("The " + what + " must not be null.");
        }
        int width = expectedWidth;
        for (int i = 0; i < matrix.length; i++) {
            double[] row = matrix[i];
            if (row == null) {
                throw new IllegalArgumentException("Row " + i + " of the " + what + " is null.");
            }
            if (width < 0) {
                width = row.length;
                if (width == 0) {
                    throw new IllegalArgumentException("The " + what + " must have at least one column, but row 0"
                            + " is empty.");
                }
            }
            if (row.length != width) {
                throw new IllegalArgumentException("Row " + i + " of the " + what + " has " + row.length
                        + " values, but " + width + " are expected.");
            }
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException("Entry (" + i + ", " + j + ") of the " + what + " is "
                            + row[j] + "; entries must be finite.");
                }
            }
        }
        return width;
    }
}
