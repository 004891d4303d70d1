package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loader for Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, Zalando Research, 2017; MIT licence): 28 × 28
 * greyscale images of clothing in 10 classes, 60,000 for training and 10,000 for testing, 6,000 and 1,000
 * per class respectively.
 *
 * <h2>Where the files come from</h2>
 * The four gzipped IDX files ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}) are read from a directory chosen as
 * follows:
 * <ol>
 *   <li>the explicit {@code directory} argument of {@link #load(Path, Part, int)}, if used;</li>
 *   <li>otherwise the environment variable {@value #ENVIRONMENT_VARIABLE}, if set and not blank;</li>
 *   <li>otherwise {@link #DEFAULT_DIRECTORY} ({@code /usr/share/datasets/fashion-mnist}), where the Debian
 *       package {@code dataset-fashion-mnist} installs them ({@code apt-get install dataset-fashion-mnist}).</li>
 * </ol>
 * A missing directory or file raises a {@link DatasetNotFoundException} whose message names it, says how the
 * directory was chosen, and explains how to install the data.
 *
 * <h2>What is returned</h2>
 * A classification {@link Dataset} named {@code fashion-mnist/train} or {@code fashion-mnist/test} with
 * {@code d = 784} features (pixel {@code (r, c)} is feature {@code 28 r + c}, named {@code pixel_r_c}),
 * scaled from bytes to {@code [0, 1]} by dividing by 255, 10 classes named as in {@link #CLASS_NAMES}, and the
 * examples in file order. Passing {@code maxExamples} keeps only the first {@code maxExamples} examples of
 * the part, for reduced-scale experiments (note that a prefix is not exactly class-balanced).
 *
 * <h2>Validation</h2>
 * The IDX magic numbers (2051 for images, 2049 for labels), the image size (28 × 28), the agreement of the
 * image and label counts, and every label (in {@code [0, 9]}) are checked; a truncated file, and, when the
 * whole part is read, trailing bytes after the declared records, are reported. Other files in the same IDX
 * format with 28 × 28 images and 10 classes (such as the original MNIST) are accepted too; the record counts
 * are taken from the file headers.
 */
public final class FashionMnist {

    /** The environment variable that overrides the default directory. */
    public static final String ENVIRONMENT_VARIABLE = "HYPERGRAD4J_FASHION_MNIST";
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** Image height in pixels. */
    public static final int ROWS = 28;
    /** Image width in pixels. */
    public static final int COLUMNS = 28;
    /** Number of features, {@code ROWS × COLUMNS}. */
    public static final int PIXELS = ROWS * COLUMNS;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private static final String INSTALL_HINT = "Install the data with `apt-get install dataset-fashion-mnist`"
            + " (it puts the files under " + DEFAULT_DIRECTORY + "), or set the environment variable "
            + ENVIRONMENT_VARIABLE + " to a directory holding train-images-idx3-ubyte.gz,"
            + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.";

    private static final List<String> FEATURE_NAMES = pixelNames();

    /** The two parts of Fashion-MNIST. */
    public enum Part {
        /** The 60,000 training examples. */
        TRAIN("train"),
        /** The 10,000 test examples. */
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }

        /**
         * Returns the image file name.
         *
         * @return for example {@code train-images-idx3-ubyte.gz}
         */
        public String imagesFile() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        /**
         * Returns the label file name.
         *
         * @return for example {@code train-labels-idx1-ubyte.gz}
         */
        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte.gz";
        }
    }

    private FashionMnist() {
    }

    /**
     * Returns the directory the no-path loaders read: the value of {@value #ENVIRONMENT_VARIABLE} if set and
     * not blank, otherwise {@link #DEFAULT_DIRECTORY}. The directory is not checked for existence.
     *
     * @return the directory
     */
    public static Path directory() {
        return directory(System.getenv());
    }

    /** Resolves the directory from the given environment (visible for tests). */
    static Path directory(Map<String, String> environment) {
        String value = environment.get(ENVIRONMENT_VARIABLE);
        return value == null || value.isBlank() ? DEFAULT_DIRECTORY : Path.of(value.trim());
    }

    /**
     * Loads all training examples from {@link #directory()}.
     *
     * @return 60,000 examples (for the genuine files)
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset train() {
        return load(null, Part.TRAIN, Integer.MAX_VALUE, false);
    }

    /**
     * Loads the first {@code maxExamples} training examples from {@link #directory()}.
     *
     * @param maxExamples how many examples to keep, in {@code [1, 60000]} (the record count of the file)
     * @return the first {@code maxExamples} training examples
     * @throws IllegalArgumentException if {@code maxExamples} is out of range
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset train(int maxExamples) {
        return load(null, Part.TRAIN, maxExamples, true);
    }

    /**
     * Loads all test examples from {@link #directory()}.
     *
     * @return 10,000 examples (for the genuine files)
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset test() {
        return load(null, Part.TEST, Integer.MAX_VALUE, false);
    }

    /**
     * Loads the first {@code maxExamples} test examples from {@link #directory()}.
     *
     * @param maxExamples how many examples to keep, in {@code [1, 10000]} (the record count of the file)
     * @return the first {@code maxExamples} test examples
     * @throws IllegalArgumentException if {@code maxExamples} is out of range
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset test(int maxExamples) {
        return load(null, Part.TEST, maxExamples, true);
    }

    /**
     * Loads a whole part from an explicit directory (the environment variable is ignored).
     *
     * @param directory the directory holding the four gzipped IDX files
     * @param part      which part to load
     * @return all examples of the part
     * @throws IllegalArgumentException if an argument is null
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset load(Path directory, Part part) {
        requireDirectory(directory);
        return load(directory, part, Integer.MAX_VALUE, false);
    }

    /**
     * Loads the first {@code maxExamples} examples of a part from an explicit directory (the environment
     * variable is ignored).
     *
     * @param directory   the directory holding the four gzipped IDX files
     * @param part        which part to load
     * @param maxExamples how many examples to keep, in {@code [1, count]} where {@code count} is the record
     *                    count in the file header (60,000 or 10,000 for the genuine files)
     * @return the first {@code maxExamples} examples of the part
     * @throws IllegalArgumentException if an argument is null or {@code maxExamples} is out of range
     * @throws DatasetNotFoundException if the directory or a file is missing
     * @throws DatasetFormatException   if a file is malformed
     * @throws UncheckedIOException     if reading fails
     */
    public static Dataset load(Path directory, Part part, int maxExamples) {
        requireDirectory(directory);
        return load(directory, part, maxExamples, true);
    }

    /**
     * A split of leading examples: the first {@code trainExamples} training images for training, the next
     * {@code validationExamples} for validation, and the first {@code testExamples} test images (not standardised).
     *
     * @param directory the folder of the IDX files, or null for the default ({@link #directory()})
     * @throws IllegalArgumentException as {@link #load(Path, Part, int)}
     */
    public static Split leadingSplit(Path directory, int trainExamples, int validationExamples, int testExamples) {
        Path dir = directory == null ? directory() : directory;
        Dataset first = load(dir, Part.TRAIN, trainExamples + validationExamples);
        Dataset train = first.subset(IntStream.range(0, trainExamples).toArray()).withName("fashion-mnist-train");
        Dataset validation = first.subset(IntStream.range(trainExamples, trainExamples + validationExamples).toArray())
                .withName("fashion-mnist-validation");
        Dataset test = load(dir, Part.TEST, testExamples).withName("fashion-mnist-test");
        return new Split(train, validation, test);
    }

    // ------------------------------------------------------------------------------------------------

    private static void requireDirectory(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("The Fashion-MNIST directory must not be null; use the loaders"
                    + " without a path to read from " + ENVIRONMENT_VARIABLE + " or " + DEFAULT_DIRECTORY + ".");
        }
    }

    private static Dataset load(Path explicitDirectory, Part part, int maxExamples, boolean limited) {
        if (part == null) {
            throw new IllegalArgumentException("The Fashion-MNIST part must not be null; use TRAIN or TEST.");
        }
        if (limited && maxExamples < 1) {
            throw new IllegalArgumentException("The number of Fashion-MNIST " + part.name().toLowerCase()
                    + " examples to load must be at least 1, but was " + maxExamples + ".");
        }
        Path directory;
        String origin;
        if (explicitDirectory != null) {
            directory = explicitDirectory;
            origin = "given explicitly";
        } else {
            directory = directory();
            origin = directory.equals(DEFAULT_DIRECTORY) && isBlank(System.getenv(ENVIRONMENT_VARIABLE))
                    ? "the default location, since " + ENVIRONMENT_VARIABLE + " is not set"
                    : "taken from the environment variable " + ENVIRONMENT_VARIABLE;
        }
        if (!Files.isDirectory(directory)) {
            throw new DatasetNotFoundException(directory.toString(), "The Fashion-MNIST directory " + directory
                    + " (" + origin + ") does not exist or is not a directory. " + INSTALL_HINT);
        }
        Path labelsPath = requireFile(directory, part.labelsFile(), origin);
        Path imagesPath = requireFile(directory, part.imagesFile(), origin);

        Labels labels = readLabels(labelsPath, part, maxExamples, limited);
        double[][] images = readImages(imagesPath, labels, labelsPath, !limited);
        return Dataset.ownedClassification("fashion-mnist/" + part.name().toLowerCase(), images, PIXELS,
                labels.values(), NUM_CLASSES, FEATURE_NAMES, CLASS_NAMES);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static Path requireFile(Path directory, String fileName, String origin) {
        Path file = directory.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException(file.toString(), "The Fashion-MNIST file " + fileName
                    + " is missing from " + directory + " (" + origin + "); expected " + file + ". "
                    + INSTALL_HINT);
        }
        return file;
    }

    /** The labels to load (one per example) and the record count declared in the label file's header. */
    private record Labels(int[] values, int declaredCount) {
    }

    /** Reads the label header and the first labels; the array length is the number of examples to load. */
    private static Labels readLabels(Path file, Part part, int maxExamples, boolean limited) {
        try (DataInputStream in = openGzip(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetFormatException(file.toString(), "The IDX label file " + file
                        + " starts with the magic number " + magic + " (0x" + Integer.toHexString(magic)
                        + "), but label files must start with " + LABELS_MAGIC + " (0x00000801).");
            }
            int count = readHeaderInt(in, file, "record count");
            if (count < 1) {
                throw new DatasetFormatException(file.toString(), "The IDX label file " + file
                        + " declares " + count + " labels, but at least 1 is required.");
            }
            if (limited && maxExamples > count) {
                throw new IllegalArgumentException("Requested the first " + maxExamples + " Fashion-MNIST "
                        + part.name().toLowerCase() + " examples, but " + file + " holds only " + count
                        + "; choose a number in [1, " + count + "].");
            }
            int n = limited ? maxExamples : count;
            byte[] raw = new byte[n];
            readRecords(in, raw, file, n, count, 1, "labels");
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                int label = raw[i] & 0xFF;
                if (label >= NUM_CLASSES) {
                    throw new DatasetFormatException(file.toString(), "Label " + i + " in " + file + " is " + label
                            + ", outside the allowed range [0, " + (NUM_CLASSES - 1) + "].");
                }
                labels[i] = label;
            }
            if (!limited) {
                requireEnd(in, file, count, "labels");
            }
            return new Labels(labels, count);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static double[][] readImages(Path file, Labels labels, Path labelsFile, boolean wholeFile) {
        int n = labels.values().length;
        try (DataInputStream in = openGzip(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetFormatException(file.toString(), "The IDX image file " + file
                        + " starts with the magic number " + magic + " (0x" + Integer.toHexString(magic)
                        + "), but image files must start with " + IMAGES_MAGIC + " (0x00000803).");
            }
            int count = readHeaderInt(in, file, "image count");
            int rows = readHeaderInt(in, file, "row count");
            int columns = readHeaderInt(in, file, "column count");
            if (rows != ROWS || columns != COLUMNS) {
                throw new DatasetFormatException(file.toString(), "The IDX image file " + file + " holds "
                        + rows + " × " + columns + " images, but Fashion-MNIST images are " + ROWS + " × "
                        + COLUMNS + ".");
            }
            if (count != labels.declaredCount()) {
                throw new DatasetFormatException(file.toString(), "The IDX image file " + file + " declares "
                        + count + " images, but the label file " + labelsFile + " declares "
                        + labels.declaredCount() + " labels; the counts must agree.");
            }
            double[][] images = new double[n][PIXELS];
            byte[] raw = new byte[PIXELS];
            for (int i = 0; i < n; i++) {
                readRecords(in, raw, file, i, count, PIXELS, "images");
                double[] image = images[i];
                for (int p = 0; p < PIXELS; p++) {
                    image[p] = (raw[p] & 0xFF) / 255.0;
                }
            }
            if (wholeFile) {
                requireEnd(in, file, count, "images");
            }
            return images;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static DataInputStream openGzip(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new DatasetFormatException(file.toString(), "The file " + file
                    + " is not a valid gzip file (" + e.getMessage() + "); Fashion-MNIST files must be gzipped IDX.",
                    e);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException(file.toString(), "The IDX file " + file + " ends inside its header,"
                    + " before the " + field + ".", e);
        }
    }

    /**
     * Reads {@code buffer.length} bytes; {@code index} is the record being read (or, for a bulk read, the
     * number of records requested) and is used only in the error message.
     */
    private static void readRecords(DataInputStream in, byte[] buffer, Path file, int index, int count,
            int recordSize, String what) throws IOException {
        try {
            in.readFully(buffer);
        } catch (EOFException e) {
            String position = recordSize == 1
                    ? "before the first " + index + " " + what + " could be read"
                    : "after " + index + " " + what;
            throw new DatasetFormatException(file.toString(), "The IDX file " + file + " is truncated: it ends "
                    + position + ", but its header declares " + count + ".", e);
        }
    }

    private static void requireEnd(DataInputStream in, Path file, int count, String what) throws IOException {
        if (in.read() != -1) {
            throw new DatasetFormatException(file.toString(), "The IDX file " + file + " has trailing bytes after"
                    + " the " + count + " " + what + " declared in its header.");
        }
    }

    private static RuntimeException ioFailure(Path file, IOException e) {
        if (e instanceof ZipException) {
            return new DatasetFormatException(file.toString(), "The file " + file + " is not a valid gzip stream ("
                    + e.getMessage() + "); Fashion-MNIST files must be gzipped IDX.", e);
        }
        return new UncheckedIOException("Reading the Fashion-MNIST file " + file + " failed: " + e.getMessage(), e);
    }

    private static List<String> pixelNames() {
        List<String> names = new ArrayList<>(PIXELS);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                names.add("pixel_" + r + "_" + c);
            }
        }
        return List.copyOf(names);
    }
}
