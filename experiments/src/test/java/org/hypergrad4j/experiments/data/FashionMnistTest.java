package org.hypergrad4j.experiments.data;

import org.hypergrad4j.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the real Fashion-MNIST files (installed by {@code apt-get install dataset-fashion-mnist}) and checks
 * the error paths on small hand-made IDX files.
 */
class FashionMnistTest {

    private static Dataset train;
    private static Dataset test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadRealData() {
        train = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TRAIN);
        test = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TEST);
    }

    @Test
    void trainingPartHas60000ImagesWith6000PerClass() {
        assertEquals("fashion-mnist/train", train.name());
        assertEquals(60_000, train.numExamples());
        assertEquals(784, train.numFeatures());
        assertEquals(10, train.numClasses());
        int[] expected = new int[10];
        Arrays.fill(expected, 6_000);
        assertArrayEquals(expected, train.classCounts());
        assertEquals(FashionMnist.CLASS_NAMES, train.classNames().orElseThrow());
        assertEquals("pixel_27_27", train.featureNames().orElseThrow().get(783));
    }

    @Test
    void testPartHas10000ImagesWith1000PerClass() {
        assertEquals(10_000, test.numExamples());
        int[] expected = new int[10];
        Arrays.fill(expected, 1_000);
        assertArrayEquals(expected, test.classCounts());
    }

    @Test
    void pixelsAreScaledToTheUnitIntervalAndUseItsFullRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 1_000; i++) {
            for (int j = 0; j < 784; j++) {
                double v = train.feature(i, j);
                assertTrue(v >= 0 && v <= 1, "pixel " + v);
                assertEquals(Math.round(v * 255) / 255.0, v, 1e-15, "pixel values are multiples of 1/255");
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(0.0, min);
        assertEquals(1.0, max);
    }

    @Test
    void knownFirstLabels() {
        // The first training images are an ankle boot, a T-shirt/top, a T-shirt/top, a dress and a T-shirt/top;
        // the first test image is an ankle boot.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0}, train.subset(0, 1, 2, 3, 4).labels());
        assertEquals(9, test.label(0));
    }

    @Test
    void limitedLoadReturnsThePrefixOfTheFullPart() {
        Dataset first = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TRAIN, 500);
        assertEquals(500, first.numExamples());
        int[] prefix = new int[500];
        Arrays.setAll(prefix, i -> i);
        assertEquals(train.subset(prefix), first);
        Dataset firstTest = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TEST, 10_000);
        assertEquals(test, firstTest);
    }

    @Test
    void loadersWithoutAPathReadTheConfiguredDirectory() {
        // CI installs the Debian package and leaves HYPERGRAD4J_FASHION_MNIST unset (or points it at a copy).
        Dataset first = FashionMnist.test(100);
        assertEquals(100, first.numExamples());
        int[] prefix = new int[100];
        Arrays.setAll(prefix, i -> i);
        assertEquals(test.subset(prefix), first);
        assertEquals(train.subset(0, 1, 2), FashionMnist.train(3));
    }

    @Test
    void limitsOutsideTheFileAreRejected() {
        DatasetTest.assertMessage(() -> FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TEST, 10_001),
                "Requested the first 10001 Fashion-MNIST test examples, but");
        DatasetTest.assertMessage(() -> FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.Part.TRAIN, 0),
                "must be at least 1, but was 0");
        DatasetTest.assertMessage(() -> FashionMnist.train(-3), "must be at least 1, but was -3");
    }

    @Test
    void missingDirectoryExplainsHowToInstall() {
        Path bogus = tmp.resolve("no-such-directory");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(bogus, FashionMnist.Part.TRAIN, 10));
        assertEquals(bogus.toString(), e.missing());
        assertTrue(e.getMessage().contains("The Fashion-MNIST directory " + bogus + " (given explicitly) does not exist"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("HYPERGRAD4J_FASHION_MNIST"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() throws IOException {
        writeLabels(tmp.resolve("t10k-labels-idx1-ubyte.gz"), FashionMnist.LABELS_MAGIC, 2, new byte[] {1, 2});
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Part.TEST));
        assertEquals(tmp.resolve("t10k-images-idx3-ubyte.gz").toString(), e.missing());
        assertTrue(e.getMessage().contains("The Fashion-MNIST file t10k-images-idx3-ubyte.gz is missing from " + tmp),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        DatasetNotFoundException train = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Part.TRAIN));
        assertTrue(train.getMessage().contains("train-labels-idx1-ubyte.gz is missing"), train.getMessage());
    }

    @Test
    void smallValidFilesLoadWithScaledPixels() throws IOException {
        byte[] pixels = new byte[2 * 784];
        pixels[0] = (byte) 255;
        pixels[784 + 783] = (byte) 51;
        writeImages(tmp.resolve("t10k-images-idx3-ubyte.gz"), FashionMnist.IMAGES_MAGIC, 2, 28, 28, pixels);
        writeLabels(tmp.resolve("t10k-labels-idx1-ubyte.gz"), FashionMnist.LABELS_MAGIC, 2, new byte[] {7, 3});
        Dataset d = FashionMnist.load(tmp, FashionMnist.Part.TEST);
        assertEquals(2, d.numExamples());
        assertArrayEquals(new int[] {7, 3}, d.labels());
        assertEquals(1.0, d.feature(0, 0));
        assertEquals(0.0, d.feature(0, 1));
        assertEquals(0.2, d.feature(1, 783), 1e-15);
        assertEquals(1, FashionMnist.load(tmp, FashionMnist.Part.TEST, 1).numExamples());
    }

    @Test
    void wrongMagicNumbersAreReported() throws IOException {
        writeImages(tmp.resolve("t10k-images-idx3-ubyte.gz"), FashionMnist.LABELS_MAGIC, 1, 28, 28, new byte[784]);
        writeLabels(tmp.resolve("t10k-labels-idx1-ubyte.gz"), FashionMnist.LABELS_MAGIC, 1, new byte[] {0});
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Part.TEST));
        assertTrue(e.getMessage().contains("starts with the magic number 2049 (0x801), but image files must start with 2051"),
                e.getMessage());
        writeLabels(tmp.resolve("t10k-labels-idx1-ubyte.gz"), 0x12345678, 1, new byte[] {0});
        DatasetFormatException labels = assertThrows(DatasetFormatException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Part.TEST));
        assertTrue(labels.getMessage().contains("label files must start with 2049"), labels.getMessage());
        assertEquals(tmp.resolve("t10k-labels-idx1-ubyte.gz").toString(), labels.source());
    }

    @Test
    void inconsistentSizesAreReported() throws IOException {
        Path images = tmp.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        writeLabels(labels, FashionMnist.LABELS_MAGIC, 2, new byte[] {0, 1});
        writeImages(images, FashionMnist.IMAGES_MAGIC, 2, 32, 32, new byte[2 * 1024]);
        assertFormatError("holds 32 × 32 images, but Fashion-MNIST images are 28 × 28");
        writeImages(images, FashionMnist.IMAGES_MAGIC, 3, 28, 28, new byte[3 * 784]);
        assertFormatError("declares 3 images, but the label file " + labels + " declares 2 labels");
        writeImages(images, FashionMnist.IMAGES_MAGIC, 2, 28, 28, new byte[784 + 100]);
        assertFormatError("is truncated: it ends after 1 images, but its header declares 2");
        writeImages(images, FashionMnist.IMAGES_MAGIC, 2, 28, 28, new byte[2 * 784 + 1]);
        assertFormatError("has trailing bytes after the 2 images declared in its header");
        writeImages(images, FashionMnist.IMAGES_MAGIC, 2, 28, 28, new byte[2 * 784]);
        writeLabels(labels, FashionMnist.LABELS_MAGIC, 2, new byte[] {0, 10});
        assertFormatError("Label 1 in " + labels + " is 10, outside the allowed range [0, 9].");
        writeLabels(labels, FashionMnist.LABELS_MAGIC, 3, new byte[] {0, 1});
        assertFormatError("is truncated");
        Files.write(labels, new byte[] {1, 2, 3});
        assertFormatError("is not a valid gzip");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(labels))) {
            out.write(new byte[] {0, 0, 8});
        }
        assertFormatError("ends inside its header, before the magic number");
    }

    @Test
    void environmentVariableOverridesTheDefaultDirectory() {
        assertEquals(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.directory(Map.of()));
        assertEquals(FashionMnist.DEFAULT_DIRECTORY,
                FashionMnist.directory(Map.of(FashionMnist.ENVIRONMENT_VARIABLE, "  ")));
        assertEquals(Path.of("/data/fmnist"),
                FashionMnist.directory(Map.of(FashionMnist.ENVIRONMENT_VARIABLE, "/data/fmnist")));
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.DEFAULT_DIRECTORY);
    }

    @Test
    void nullArgumentsAreRejected() {
        DatasetTest.assertMessage(() -> FashionMnist.load(null, FashionMnist.Part.TEST), "directory must not be null");
        DatasetTest.assertMessage(() -> FashionMnist.load(tmp, null, 1), "part must not be null");
    }

    private void assertFormatError(String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Part.TEST));
        assertTrue(e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }

    private static void writeLabels(Path file, int magic, int count, byte[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.write(labels);
        }
    }

    private static void writeImages(Path file, int magic, int count, int rows, int columns, byte[] pixels)
            throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(columns);
            out.write(pixels);
        }
    }
}
