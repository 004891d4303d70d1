package org.hypergrad4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable supervised data set: {@code n} examples with {@code d} real features each, and either an
 * integer class label (classification) or a real target (regression) per example.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>The name is non-blank.</li>
 *   <li>The feature matrix is rectangular, {@code n × d}, row-major, with every entry finite. {@code d ≥ 1}.
 *       {@code n ≥ 1} for data sets built by the public factories; {@code n = 0} is possible only for the
 *       results of {@link #subset(int...)} and of the splitting utilities (an empty part of a split).</li>
 *   <li>Exactly one of labels and targets is present, according to {@link #task()}:
 *       <ul>
 *         <li>classification: {@code numClasses() ≥ 2}, and every label lies in {@code [0, numClasses())};</li>
 *         <li>regression: {@code numClasses() == 0}, and every target is finite.</li>
 *       </ul></li>
 *   <li>Feature names, when present, number exactly {@code d}; class names, when present, number exactly
 *       {@code numClasses()}. Neither list contains {@code null}.</li>
 * </ul>
 *
 * <h2>Ownership</h2>
 * Every array passed to a public factory is copied, and every array returned by an accessor is a fresh copy,
 * so no caller can alter a {@code Dataset} after construction. The per-element accessors
 * ({@link #feature(int, int)}, {@link #label(int)}, {@link #target(int)}) avoid copying large data sets.
 * Data sets derived from one another ({@link #subset(int...)}, {@link #withName(String)}, ...) share their
 * internal, never-exposed rows, so deriving is cheap.
 *
 * <h2>Equality</h2>
 * Two data sets are {@linkplain #equals(Object) equal} when their names, tasks, numbers of classes, feature
 * values, labels or targets, and optional names are all equal.
 */
public final class Dataset {

    /** The kind of supervision a data set carries. */
    public enum Task {
        /** Integer class labels in {@code [0, numClasses)}. */
        CLASSIFICATION,
        /** One finite real target per example. */
        REGRESSION
    }

    private final String name;
    private final double[][] features;
    private final int numFeatures;
    private final int[] labels;
    private final double[] targets;
    private final int numClasses;
    private final List<String> featureNames;
    private final List<String> classNames;

    private Dataset(String name, double[][] features, int numFeatures, int[] labels, double[] targets,
            int numClasses, List<String> featureNames, List<String> classNames) {
        this.name = name;
        this.features = features;
        this.numFeatures = numFeatures;
        this.labels = labels;
        this.targets = targets;
        this.numClasses = numClasses;
        this.featureNames = featureNames;
        this.classNames = classNames;
    }

    /**
     * Creates a classification data set, copying the arrays.
     *
     * @param name       a non-blank name, used in messages and reports
     * @param features   the {@code n × d} feature matrix, {@code n ≥ 1}, {@code d ≥ 1}, all entries finite
     * @param labels     {@code n} class labels, each in {@code [0, numClasses)}
     * @param numClasses the number of classes, at least 2 (classes need not all occur in {@code labels})
     * @return the data set
     * @throws IllegalArgumentException if any argument violates the constraints above
     */
    public static Dataset classification(String name, double[][] features, int[] labels, int numClasses) {
        requireNonNull(labels, "labels");
        double[][] copy = copyFeatures(features);
        return ownedClassification(name, copy, copy[0].length, labels.clone(), numClasses, null, null);
    }

    /**
     * Creates a regression data set, copying the arrays.
     *
     * @param name     a non-blank name, used in messages and reports
     * @param features the {@code n × d} feature matrix, {@code n ≥ 1}, {@code d ≥ 1}, all entries finite
     * @param targets  {@code n} finite targets
     * @return the data set
     * @throws IllegalArgumentException if any argument violates the constraints above
     */
    public static Dataset regression(String name, double[][] features, double[] targets) {
        requireNonNull(targets, "targets");
        double[][] copy = copyFeatures(features);
        return ownedRegression(name, copy, copy[0].length, targets.clone(), null);
    }

    /**
     * Creates a classification data set that takes ownership of its arrays (no copy), for loaders of large
     * data sets that would otherwise hold two copies. Callers must not keep or change the arrays afterwards.
     * All invariants are checked.
     *
     * @throws IllegalArgumentException as {@link #classification}, or if names are given that do not number
     *     {@code numFeatures} or {@code numClasses}
     */
    public static Dataset ownedClassification(String name, double[][] features, int numFeatures, int[] labels,
            int numClasses, List<String> featureNames, List<String> classNames) {
        requireName(name);
        validateFeatures(name, features, numFeatures);
        requireNonNull(labels, "labels");
        if (numClasses < 2) {
            throw new IllegalArgumentException("The number of classes of data set '" + name
                    + "' must be at least 2, but was " + numClasses + ".");
        }
        if (labels.length != features.length) {
            throw new IllegalArgumentException("Data set '" + name + "' has " + features.length
                    + " feature rows but " + labels.length + " labels; the counts must be equal.");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Label " + labels[i] + " of example " + i + " in data set '"
                        + name + "' is outside the allowed range [0, " + (numClasses - 1) + "].");
            }
        }
        return new Dataset(name, features, numFeatures, labels, null, numClasses,
                checkedNames(name, "feature", featureNames, numFeatures),
                checkedNames(name, "class", classNames, numClasses));
    }

    /**
     * Creates a regression data set that takes ownership of its arrays (no copy), as
     * {@link #ownedClassification}. Callers must not keep or change the arrays afterwards. All invariants are
     * checked.
     *
     * @throws IllegalArgumentException as {@link #regression}
     */
    public static Dataset ownedRegression(String name, double[][] features, int numFeatures, double[] targets,
            List<String> featureNames) {
        requireName(name);
        validateFeatures(name, features, numFeatures);
        requireNonNull(targets, "targets");
        if (targets.length != features.length) {
            throw new IllegalArgumentException("Data set '" + name + "' has " + features.length
                    + " feature rows but " + targets.length + " targets; the counts must be equal.");
        }
        for (int i = 0; i < targets.length; i++) {
            if (!Double.isFinite(targets[i])) {
                throw new IllegalArgumentException("Target " + targets[i] + " of example " + i + " in data set '"
                        + name + "' is not finite; targets must be finite real numbers.");
            }
        }
        return new Dataset(name, features, numFeatures, null, targets, 0,
                checkedNames(name, "feature", featureNames, numFeatures), null);
    }

    // ------------------------------------------------------------------------------------------------
    // Accessors

    /**
     * Returns the name.
     *
     * @return the non-blank name of this data set
     */
    public String name() {
        return name;
    }

    /**
     * Returns the task.
     *
     * @return {@link Task#CLASSIFICATION} when the data set has labels, {@link Task#REGRESSION} when it has
     *     targets
     */
    public Task task() {
        return labels != null ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /**
     * Returns whether this is a classification data set.
     *
     * @return {@code true} exactly when {@link #task()} is {@link Task#CLASSIFICATION}
     */
    public boolean isClassification() {
        return labels != null;
    }

    /**
     * Returns the number of examples.
     *
     * @return {@code n ≥ 0}
     */
    public int numExamples() {
        return features.length;
    }

    /**
     * Returns the number of features per example.
     *
     * @return {@code d ≥ 1}
     */
    public int numFeatures() {
        return numFeatures;
    }

    /**
     * Returns the number of classes.
     *
     * @return at least 2 for classification, 0 for regression
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns one feature value without copying.
     *
     * @param example the example index, in {@code [0, n)}
     * @param feature the feature index, in {@code [0, d)}
     * @return the finite feature value
     * @throws IllegalArgumentException if an index is out of range
     */
    public double feature(int example, int feature) {
        checkExample(example);
        if (feature < 0 || feature >= numFeatures) {
            throw new IllegalArgumentException("Feature index " + feature + " is outside the allowed range [0, "
                    + (numFeatures - 1) + "] of data set '" + name + "'.");
        }
        return features[example][feature];
    }

    /**
     * Returns a copy of one example's features.
     *
     * @param example the example index, in {@code [0, n)}
     * @return a fresh array of length {@code d}
     * @throws IllegalArgumentException if the index is out of range
     */
    public double[] row(int example) {
        checkExample(example);
        return features[example].clone();
    }

    /**
     * Returns a deep copy of the feature matrix.
     *
     * @return a fresh {@code n × d} array
     */
    public double[][] features() {
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            copy[i] = features[i].clone();
        }
        return copy;
    }

    /**
     * Returns one class label.
     *
     * @param example the example index, in {@code [0, n)}
     * @return the label, in {@code [0, numClasses())}
     * @throws IllegalArgumentException if the index is out of range
     * @throws IllegalStateException    if this is a regression data set
     */
    public int label(int example) {
        requireClassification("label(int)");
        checkExample(example);
        return labels[example];
    }

    /**
     * Returns a copy of the class labels.
     *
     * @return a fresh array of {@code n} labels, each in {@code [0, numClasses())}
     * @throws IllegalStateException if this is a regression data set
     */
    public int[] labels() {
        requireClassification("labels()");
        return labels.clone();
    }

    /**
     * Returns one regression target.
     *
     * @param example the example index, in {@code [0, n)}
     * @return the finite target
     * @throws IllegalArgumentException if the index is out of range
     * @throws IllegalStateException    if this is a classification data set
     */
    public double target(int example) {
        requireRegression("target(int)");
        checkExample(example);
        return targets[example];
    }

    /**
     * Returns a copy of the regression targets.
     *
     * @return a fresh array of {@code n} finite targets
     * @throws IllegalStateException if this is a classification data set
     */
    public double[] targets() {
        requireRegression("targets()");
        return targets.clone();
    }

    /**
     * Counts the examples of each class.
     *
     * @return a fresh array of length {@code numClasses()} whose entry {@code c} is the number of examples
     *     labelled {@code c}; the entries sum to {@code n}
     * @throws IllegalStateException if this is a regression data set
     */
    public int[] classCounts() {
        requireClassification("classCounts()");
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Returns the feature names, if known.
     *
     * @return an unmodifiable list of exactly {@code d} names, or empty
     */
    public Optional<List<String>> featureNames() {
        return Optional.ofNullable(featureNames);
    }

    /**
     * Returns the class names, if known.
     *
     * @return an unmodifiable list of exactly {@code numClasses()} names (index = label), or empty (always
     *     empty for regression)
     */
    public Optional<List<String>> classNames() {
        return Optional.ofNullable(classNames);
    }

    // ------------------------------------------------------------------------------------------------
    // Derivation

    /**
     * Returns this data set under another name.
     *
     * @param newName a non-blank name
     * @return a data set equal to this one except for its name
     * @throws IllegalArgumentException if the name is null or blank
     */
    public Dataset withName(String newName) {
        requireName(newName);
        return new Dataset(newName, features, numFeatures, labels, targets, numClasses, featureNames, classNames);
    }

    /**
     * Returns this data set with feature names attached.
     *
     * @param names exactly {@code d} non-null names
     * @return a data set equal to this one except for its feature names
     * @throws IllegalArgumentException if the list is null, has the wrong size, or contains {@code null}
     */
    public Dataset withFeatureNames(List<String> names) {
        requireNonNull(names, "feature names");
        return new Dataset(name, features, numFeatures, labels, targets, numClasses,
                checkedNames(name, "feature", names, numFeatures), classNames);
    }

    /**
     * Returns this classification data set with class names attached.
     *
     * @param names exactly {@code numClasses()} non-null names, indexed by label
     * @return a data set equal to this one except for its class names
     * @throws IllegalArgumentException if the list is null, has the wrong size, or contains {@code null}
     * @throws IllegalStateException    if this is a regression data set
     */
    public Dataset withClassNames(List<String> names) {
        requireClassification("withClassNames(List)");
        requireNonNull(names, "class names");
        return new Dataset(name, features, numFeatures, labels, targets, numClasses, featureNames,
                checkedNames(name, "class", names, numClasses));
    }

    /**
     * Returns the examples at the given indices, in the given order. Indices may repeat (as in bootstrap
     * resampling) and may be empty, which gives a data set with {@code n = 0}. Name, task, number of classes
     * and feature and class names are kept.
     *
     * @param indices example indices, each in {@code [0, n)}
     * @return a data set with {@code indices.length} examples; example {@code k} is example
     *     {@code indices[k]} of this one
     * @throws IllegalArgumentException if the array is null or an index is out of range
     */
    public Dataset subset(int... indices) {
        requireNonNull(indices, "indices");
        double[][] rows = new double[indices.length][];
        int[] newLabels = labels != null ? new int[indices.length] : null;
        double[] newTargets = targets != null ? new double[indices.length] : null;
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= features.length) {
                throw new IllegalArgumentException("Index " + i + " at position " + k
                        + " of the subset is outside the allowed range [0, " + (features.length - 1)
                        + "] of data set '" + name + "' (" + features.length + " examples).");
            }
            rows[k] = features[i];
            if (newLabels != null) {
                newLabels[k] = labels[i];
            } else {
                newTargets[k] = targets[i];
            }
        }
        return new Dataset(name, rows, numFeatures, newLabels, newTargets, numClasses, featureNames, classNames);
    }

    /**
     * Returns the same examples with other class labels (for example some flipped, for hyper-cleaning).
     *
     * @param newLabels {@code n} labels, each in {@code [0, numClasses())}; copied
     * @return a data set equal to this one except for its labels
     * @throws IllegalArgumentException if the count or a label is out of range
     * @throws IllegalStateException    if this is a regression data set
     */
    public Dataset withLabels(int[] newLabels) {
        requireClassification("withLabels(int[])");
        requireNonNull(newLabels, "labels");
        return ownedClassification(name, features, numFeatures, newLabels.clone(), numClasses, featureNames, classNames);
    }

    /**
     * Requires a classification data set with at least one example, for a consumer that names its role.
     *
     * @param role what the data are for, for example {@code "training data"}
     * @return this data set
     * @throws IllegalArgumentException if it is a regression data set or has no examples
     */
    public Dataset requireLabelledExamples(String role) {
        if (labels == null) {
            throw new IllegalArgumentException("The " + role + " '" + name + "' is a regression data set; class labels are needed.");
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("The " + role + " '" + name + "' is empty: at least one example is needed.");
        }
        return this;
    }

    /**
     * Requires a classification data set of {@code numFeatures} features and {@code numClasses} classes, for a
     * consumer that names itself.
     *
     * @param consumer what takes the data, for example {@code "the network"}
     * @return this data set
     * @throws IllegalArgumentException if it is a regression data set or its features or classes differ
     */
    public Dataset requireShape(int numFeatures, int numClasses, String consumer) {
        if (labels == null || this.numFeatures != numFeatures || this.numClasses != numClasses) {
            throw new IllegalArgumentException("Data set '" + name + "' has " + this.numFeatures + " features and "
                    + (labels == null ? "regression targets" : this.numClasses + " classes") + ", but " + consumer + " takes "
                    + numFeatures + " features and " + numClasses + " classes.");
        }
        return this;
    }

    /**
     * Returns the same examples with a new feature matrix of identical shape (used by {@link Standardizer}).
     * Takes ownership of {@code newFeatures}.
     */
    Dataset withOwnedFeatures(double[][] newFeatures) {
        validateFeatures(name, newFeatures, numFeatures);
        if (newFeatures.length != features.length) {
            throw new IllegalArgumentException("Replacement features for data set '" + name + "' have "
                    + newFeatures.length + " rows but the data set has " + features.length + " examples.");
        }
        return new Dataset(name, newFeatures, numFeatures, labels, targets, numClasses, featureNames, classNames);
    }

    /** Returns the internal row without copying; callers inside the package must not modify it. */
    double[] rowView(int example) {
        return features[example];
    }

    /** Returns the internal label array without copying; callers inside the package must not modify it. */
    int[] labelsView() {
        requireClassification("labels()");
        return labels;
    }

    // ------------------------------------------------------------------------------------------------
    // ND4J conversion

    /**
     * Converts the features to a new ND4J array.
     *
     * @param dataType {@link DataType#FLOAT} or {@link DataType#DOUBLE}
     * @return a new C-ordered array of shape {@code [n, d]}
     * @throws IllegalArgumentException if the data type is not FLOAT or DOUBLE
     */
    public INDArray toFeatures(DataType dataType) {
        checkDataType(dataType);
        int n = features.length;
        if (dataType == DataType.DOUBLE) {
            double[] flat = new double[flatSize(n, numFeatures)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(features[i], 0, flat, i * numFeatures, numFeatures);
            }
            return create(flat, n, numFeatures);
        }
        float[] flat = new float[flatSize(n, numFeatures)];
        for (int i = 0; i < n; i++) {
            double[] row = features[i];
            int offset = i * numFeatures;
            for (int j = 0; j < numFeatures; j++) {
                flat[offset + j] = (float) row[j];
            }
        }
        return create(flat, n, numFeatures);
    }

    /**
     * Converts the class labels to a new one-hot ND4J array.
     *
     * @param dataType {@link DataType#FLOAT} or {@link DataType#DOUBLE}
     * @return a new C-ordered array of shape {@code [n, numClasses()]} whose row {@code i} is 1 in column
     *     {@code label(i)} and 0 elsewhere
     * @throws IllegalArgumentException if the data type is not FLOAT or DOUBLE
     * @throws IllegalStateException    if this is a regression data set
     */
    public INDArray toOneHotLabels(DataType dataType) {
        requireClassification("toOneHotLabels(DataType)");
        checkDataType(dataType);
        int n = labels.length;
        if (dataType == DataType.DOUBLE) {
            double[] flat = new double[flatSize(n, numClasses)];
            for (int i = 0; i < n; i++) {
                flat[i * numClasses + labels[i]] = 1.0;
            }
            return create(flat, n, numClasses);
        }
        float[] flat = new float[flatSize(n, numClasses)];
        for (int i = 0; i < n; i++) {
            flat[i * numClasses + labels[i]] = 1.0f;
        }
        return create(flat, n, numClasses);
    }

    /**
     * Converts the regression targets to a new ND4J column.
     *
     * @param dataType {@link DataType#FLOAT} or {@link DataType#DOUBLE}
     * @return a new array of shape {@code [n, 1]}
     * @throws IllegalArgumentException if the data type is not FLOAT or DOUBLE
     * @throws IllegalStateException    if this is a classification data set
     */
    public INDArray toTargets(DataType dataType) {
        requireRegression("toTargets(DataType)");
        checkDataType(dataType);
        int n = targets.length;
        if (dataType == DataType.DOUBLE) {
            return create(targets.clone(), n, 1);
        }
        float[] flat = new float[n];
        for (int i = 0; i < n; i++) {
            flat[i] = (float) targets[i];
        }
        return create(flat, n, 1);
    }

    private static INDArray create(double[] flat, int rows, int columns) {
        if (rows == 0) {
            return Nd4j.create(DataType.DOUBLE, 0, columns);
        }
        return Nd4j.create(flat, new long[] {rows, columns}, DataType.DOUBLE);
    }

    private static INDArray create(float[] flat, int rows, int columns) {
        if (rows == 0) {
            return Nd4j.create(DataType.FLOAT, 0, columns);
        }
        return Nd4j.create(flat, new long[] {rows, columns}, DataType.FLOAT);
    }

    private int flatSize(int rows, int columns) {
        long size = (long) rows * columns;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Data set '" + name + "' has " + rows + " × " + columns + " = " + size
                    + " entries, more than the " + (Integer.MAX_VALUE - 8) + " that fit in one Java array; convert"
                    + " it in parts with subset(int...).");
        }
        return (int) size;
    }

    private static void checkDataType(DataType dataType) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("Data type " + dataType
                    + " is not supported for data-set conversion; use FLOAT or DOUBLE.");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Object methods

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Dataset)) {
            return false;
        }
        Dataset that = (Dataset) other;
        return name.equals(that.name)
                && numFeatures == that.numFeatures
                && numClasses == that.numClasses
                && Arrays.equals(labels, that.labels)
                && Arrays.equals(targets, that.targets)
                && Arrays.deepEquals(features, that.features)
                && Objects.equals(featureNames, that.featureNames)
                && Objects.equals(classNames, that.classNames);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(name, numFeatures, numClasses, featureNames, classNames);
        h = 31 * h + Arrays.hashCode(labels);
        h = 31 * h + Arrays.hashCode(targets);
        return 31 * h + Arrays.deepHashCode(features);
    }

    /**
     * Returns a one-line summary, for example
     * {@code Dataset[name=iris, task=CLASSIFICATION, n=150, d=4, classes=3]}.
     */
    @Override
    public String toString() {
        return "Dataset[name=" + name + ", task=" + task() + ", n=" + features.length + ", d=" + numFeatures
                + (labels != null ? ", classes=" + numClasses : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Validation helpers

    private void checkExample(int example) {
        if (example < 0 || example >= features.length) {
            throw new IllegalArgumentException("Example index " + example + " is outside the allowed range [0, "
                    + (features.length - 1) + "] of data set '" + name + "' (" + features.length + " examples).");
        }
    }

    private void requireClassification(String operation) {
        if (labels == null) {
            throw new IllegalStateException("Data set '" + name + "' is a regression data set, so "
                    + operation + " (which needs class labels) does not apply.");
        }
    }

    private void requireRegression(String operation) {
        if (targets == null) {
            throw new IllegalStateException("Data set '" + name + "' is a classification data set, so "
                    + operation + " (which needs real targets) does not apply.");
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A data set name must be non-blank, but was "
                    + (name == null ? "null" : "'" + name + "'") + ".");
        }
    }

    private static void requireNonNull(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("The " + what + " must not be null.");
        }
    }

    private static double[][] copyFeatures(double[][] features) {
        requireNonNull(features, "feature matrix");
        if (features.length == 0) {
            throw new IllegalArgumentException("The feature matrix must have at least one row, but has none.");
        }
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null) {
                throw new IllegalArgumentException("Row " + i + " of the feature matrix is null.");
            }
            copy[i] = features[i].clone();
        }
        return copy;
    }

    private static void validateFeatures(String name, double[][] features, int numFeatures) {
        requireNonNull(features, "feature matrix");
        if (numFeatures < 1) {
            throw new IllegalArgumentException("Data set '" + name + "' must have at least one feature, but has "
                    + numFeatures + ".");
        }
        for (int i = 0; i < features.length; i++) {
            double[] row = features[i];
            if (row == null) {
                throw new IllegalArgumentException("Row " + i + " of the feature matrix of data set '" + name
                        + "' is null.");
            }
            if (row.length != numFeatures) {
                throw new IllegalArgumentException("Row " + i + " of the feature matrix of data set '" + name
                        + "' has " + row.length + " values, but every row must have " + numFeatures + ".");
            }
            for (int j = 0; j < numFeatures; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException("Feature " + j + " of example " + i + " in data set '"
                            + name + "' is " + row[j] + "; features must be finite.");
                }
            }
        }
    }

    private static List<String> checkedNames(String dataset, String kind, List<String> names, int expected) {
        if (names == null) {
            return null;
        }
        if (names.size() != expected) {
            throw new IllegalArgumentException("Data set '" + dataset + "' needs exactly " + expected + " " + kind
                    + " names, but " + names.size() + " were given.");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null) {
                throw new IllegalArgumentException("The " + kind + " name at position " + i + " for data set '"
                        + dataset + "' is null.");
            }
        }
        return List.copyOf(names);
    }
}
