package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Loaders for the small real data sets bundled on the classpath under {@code /datasets/} (the copies shipped
 * with scikit-learn; sources and licences in {@code /datasets/ATTRIBUTION.md}).
 *
 * <p>Each loader parses and validates its file completely: every row must have the expected number of
 * columns, every value must parse and be finite, labels must lie in the declared range, and the row count
 * must equal the declared (or documented) count; otherwise a {@link DatasetFormatException} names the file,
 * line and value. Parsed data sets are cached, so repeated calls are cheap and return equal (immutable)
 * objects.
 *
 * <table>
 *   <caption>Bundled data sets</caption>
 *   <tr><th>loader</th><th>n</th><th>d</th><th>task</th><th>classes</th></tr>
 *   <tr><td>{@link #digits()}</td><td>1797</td><td>64</td><td>classification</td><td>10 (digits 0..9)</td></tr>
 *   <tr><td>{@link #breastCancer()}</td><td>569</td><td>30</td><td>classification</td>
 *       <td>2 (0 malignant, 1 benign)</td></tr>
 *   <tr><td>{@link #diabetes()}</td><td>442</td><td>10</td><td>regression</td><td>-</td></tr>
 *   <tr><td>{@link #wine()}</td><td>178</td><td>13</td><td>classification</td><td>3</td></tr>
 *   <tr><td>{@link #iris()}</td><td>150</td><td>4</td><td>classification</td>
 *       <td>3 (setosa, versicolor, virginica)</td></tr>
 * </table>
 */
public final class BundledDatasets {

    /** Number of examples in {@link #digits()}. */
    public static final int DIGITS_EXAMPLES = 1797;
    /** Number of examples in {@link #diabetes()}. */
    public static final int DIABETES_EXAMPLES = 442;

    private static final Map<String, Dataset> CACHE = new ConcurrentHashMap<>();

    private static final List<String> BREAST_CANCER_FEATURES = breastCancerFeatureNames();
    private static final List<String> WINE_FEATURES = List.of("alcohol", "malic_acid", "ash",
            "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols",
            "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline");
    private static final List<String> IRIS_FEATURES = List.of("sepal length (cm)", "sepal width (cm)",
            "petal length (cm)", "petal width (cm)");
    private static final List<String> DIABETES_FEATURES = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3",
            "s4", "s5", "s6");

    private BundledDatasets() {
    }

    /**
     * Loads the 8×8 handwritten digits (UCI "Optical Recognition of Handwritten Digits").
     *
     * @return 1797 examples, 64 features (pixel intensities, integers in {@code [0, 16]}, row-major, named
     *     {@code pixel_r_c}), 10 classes (the digit), class names {@code "0"}..{@code "9"}
     * @throws DatasetFormatException   if the bundled file is malformed
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     */
    public static Dataset digits() {
        return cached("digits", BundledDatasets::loadDigits);
    }

    /**
     * Loads the Wisconsin diagnostic breast cancer data (UCI).
     *
     * @return 569 examples, 30 features (scikit-learn's names, e.g. {@code "mean radius"}), 2 classes:
     *     0 = malignant (212 examples), 1 = benign (357 examples)
     * @throws DatasetFormatException   if the bundled file is malformed
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     */
    public static Dataset breastCancer() {
        return cached("breast_cancer", () -> loadHeaderedCsv("breast_cancer.csv", "breast_cancer",
                BREAST_CANCER_FEATURES));
    }

    /**
     * Loads the diabetes regression data of Efron et al., "Least Angle Regression" (2004), unscaled.
     *
     * @return 442 examples, 10 features ({@code age, sex, bmi, bp, s1..s6}, in their original units), and the
     *     disease-progression target (first value 151)
     * @throws DatasetFormatException   if a bundled file is malformed
     * @throws DatasetNotFoundException if a bundled file is missing from the classpath
     */
    public static Dataset diabetes() {
        return cached("diabetes", BundledDatasets::loadDiabetes);
    }

    /**
     * Loads the wine recognition data (UCI).
     *
     * @return 178 examples, 13 chemical features, 3 classes ({@code class_0}, {@code class_1},
     *     {@code class_2}; 59, 71 and 48 examples)
     * @throws DatasetFormatException   if the bundled file is malformed
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     */
    public static Dataset wine() {
        return cached("wine", () -> loadHeaderedCsv("wine_data.csv", "wine", WINE_FEATURES));
    }

    /**
     * Loads Fisher's iris data (UCI).
     *
     * @return 150 examples, 4 features (sepal length and width, petal length and width, in cm), 3 classes
     *     (setosa, versicolor, virginica; 50 examples each)
     * @throws DatasetFormatException   if the bundled file is malformed
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     */
    public static Dataset iris() {
        return cached("iris", () -> loadHeaderedCsv("iris.csv", "iris", IRIS_FEATURES));
    }

    // ------------------------------------------------------------------------------------------------

    private static Dataset cached(String key, Supplier<Dataset> loader) {
        Dataset hit = CACHE.get(key);
        if (hit != null) {
            return hit;
        }
        Dataset loaded = loader.get();
        Dataset previous = CACHE.putIfAbsent(key, loaded);
        return previous != null ? previous : loaded;
    }

    private static Dataset loadDigits() {
        String file = "digits.csv.gz";
        String source = ClasspathResources.path(file);
        int d = 64;
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> lines = ClasspathResources.readLines(file);
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = split(source, l + 1, line, ",", d + 1);
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = parseDouble(source, l + 1, j, fields[j]);
                if (row[j] < 0 || row[j] > 16 || row[j] != Math.rint(row[j])) {
                    throw new DatasetFormatException(source, "Line " + (l + 1) + ", column " + (j + 1) + " of "
                            + source + " holds the pixel value " + fields[j]
                            + ", but pixel values must be integers in [0, 16].");
                }
            }
            rows.add(row);
            labels.add(parseLabel(source, l + 1, d, fields[d], 10));
        }
        requireCount(source, rows.size(), DIGITS_EXAMPLES);
        List<String> featureNames = new ArrayList<>(d);
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                featureNames.add("pixel_" + r + "_" + c);
            }
        }
        List<String> classNames = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return Dataset.ownedClassification("digits", rows.toArray(new double[0][]), d, toIntArray(labels), 10,
                featureNames, classNames);
    }

    private static Dataset loadDiabetes() {
        String dataFile = "diabetes_data_raw.csv.gz";
        String targetFile = "diabetes_target.csv.gz";
        String dataSource = ClasspathResources.path(dataFile);
        String targetSource = ClasspathResources.path(targetFile);
        int d = DIABETES_FEATURES.size();
        List<double[]> rows = new ArrayList<>();
        List<String> lines = ClasspathResources.readLines(dataFile);
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = split(dataSource, l + 1, line, "\\s+", d);
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = parseDouble(dataSource, l + 1, j, fields[j]);
            }
            rows.add(row);
        }
        requireCount(dataSource, rows.size(), DIABETES_EXAMPLES);
        double[] targets = new double[rows.size()];
        int count = 0;
        List<String> targetLines = ClasspathResources.readLines(targetFile);
        for (int l = 0; l < targetLines.size(); l++) {
            String line = targetLines.get(l).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = split(targetSource, l + 1, line, "\\s+", 1);
            if (count == targets.length) {
                throw new DatasetFormatException(targetSource, targetSource + " has more than " + targets.length
                        + " target values (extra value on line " + (l + 1) + "), but "
                        + dataSource + " has " + targets.length + " rows.");
            }
            targets[count++] = parseDouble(targetSource, l + 1, 0, fields[0]);
        }
        requireCount(targetSource, count, DIABETES_EXAMPLES);
        return Dataset.ownedRegression("diabetes", rows.toArray(new double[0][]), d, targets, DIABETES_FEATURES);
    }

    /**
     * Parses scikit-learn's headered CSV format: a header {@code n,d,class_0,...,class_{C-1}} followed by
     * {@code n} rows of {@code d} features and an integer label.
     */
    private static Dataset loadHeaderedCsv(String file, String name, List<String> featureNames) {
        return parseHeaderedCsv(ClasspathResources.path(file), ClasspathResources.readLines(file), name,
                featureNames);
    }

    /**
     * Parses the lines of a headered CSV file (visible for tests); {@code source} names the file in messages.
     */
    static Dataset parseHeaderedCsv(String source, List<String> lines, String name, List<String> featureNames) {
        int headerLine = 0;
        while (headerLine < lines.size() && lines.get(headerLine).trim().isEmpty()) {
            headerLine++;
        }
        if (headerLine == lines.size()) {
            throw new DatasetFormatException(source, source + " is empty; expected a header row 'n,d,class names'.");
        }
        String[] header = lines.get(headerLine).trim().split(",", -1);
        if (header.length < 4) {
            throw new DatasetFormatException(source, "The header on line " + (headerLine + 1) + " of " + source
                    + " has " + header.length + " fields, but it must be 'n,d' followed by at least two class"
                    + " names.");
        }
        int n = parseHeaderCount(source, headerLine + 1, "example count", header[0]);
        int d = parseHeaderCount(source, headerLine + 1, "feature count", header[1]);
        if (d != featureNames.size()) {
            throw new DatasetFormatException(source, "The header on line " + (headerLine + 1) + " of " + source
                    + " declares " + d + " features, but data set '" + name + "' has " + featureNames.size() + ".");
        }
        List<String> classNames = new ArrayList<>();
        for (int c = 2; c < header.length; c++) {
            String className = header[c].trim();
            if (className.isEmpty()) {
                throw new DatasetFormatException(source, "Class name " + (c - 2) + " in the header on line "
                        + (headerLine + 1) + " of " + source + " is empty.");
            }
            classNames.add(className);
        }
        int numClasses = classNames.size();
        double[][] features = new double[n][];
        int[] labels = new int[n];
        int count = 0;
        for (int l = headerLine + 1; l < lines.size(); l++) {
            String line = lines.get(l).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (count == n) {
                throw new DatasetFormatException(source, source + " has more data rows than the " + n
                        + " declared in its header (extra row on line " + (l + 1) + ").");
            }
            String[] fields = split(source, l + 1, line, ",", d + 1);
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = parseDouble(source, l + 1, j, fields[j]);
            }
            features[count] = row;
            labels[count] = parseLabel(source, l + 1, d, fields[d], numClasses);
            count++;
        }
        requireCount(source, count, n);
        return Dataset.ownedClassification(name, features, d, labels, numClasses, featureNames, classNames);
    }

    // ------------------------------------------------------------------------------------------------
    // Parsing helpers

    private static String[] split(String source, int lineNumber, String line, String separatorRegex,
            int expectedFields) {
        String[] fields = line.split(separatorRegex, -1);
        if (fields.length != expectedFields) {
            throw new DatasetFormatException(source, "Line " + lineNumber + " of " + source + " has "
                    + fields.length + " fields, but " + expectedFields + " are expected.");
        }
        return fields;
    }

    private static double parseDouble(String source, int lineNumber, int column, String token) {
        double value;
        try {
            value = Double.parseDouble(token.trim());
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(source, "Line " + lineNumber + ", column " + (column + 1) + " of "
                    + source + " holds '" + token + "', which is not a number.", e);
        }
        if (!Double.isFinite(value)) {
            throw new DatasetFormatException(source, "Line " + lineNumber + ", column " + (column + 1) + " of "
                    + source + " holds '" + token + "', but values must be finite.");
        }
        return value;
    }

    private static int parseLabel(String source, int lineNumber, int column, String token, int numClasses) {
        int label;
        try {
            label = Integer.parseInt(token.trim());
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(source, "Line " + lineNumber + ", column " + (column + 1) + " of "
                    + source + " holds the label '" + token + "', which is not an integer.", e);
        }
        if (label < 0 || label >= numClasses) {
            throw new DatasetFormatException(source, "Line " + lineNumber + ", column " + (column + 1) + " of "
                    + source + " holds the label " + label + ", outside the allowed range [0, " + (numClasses - 1)
                    + "].");
        }
        return label;
    }

    private static int parseHeaderCount(String source, int lineNumber, String what, String token) {
        int value;
        try {
            value = Integer.parseInt(token.trim());
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(source, "The " + what + " '" + token + "' in the header on line "
                    + lineNumber + " of " + source + " is not an integer.", e);
        }
        if (value < 1) {
            throw new DatasetFormatException(source, "The " + what + " in the header on line " + lineNumber
                    + " of " + source + " is " + value + ", but it must be at least 1.");
        }
        return value;
    }

    private static void requireCount(String source, int actual, int expected) {
        if (actual != expected) {
            throw new DatasetFormatException(source, source + " has " + actual + " data rows, but " + expected
                    + " are expected.");
        }
    }

    private static int[] toIntArray(List<Integer> values) {
        int[] result = new int[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }

    private static List<String> breastCancerFeatureNames() {
        List<String> base = List.of("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                "concavity", "concave points", "symmetry", "fractal dimension");
        List<String> names = new ArrayList<>(30);
        for (String b : base) {
            names.add("mean " + b);
        }
        for (String b : base) {
            names.add(b + " error");
        }
        for (String b : base) {
            names.add("worst " + b);
        }
        return List.copyOf(names);
    }
}
