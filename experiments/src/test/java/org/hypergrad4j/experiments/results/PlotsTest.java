package org.hypergrad4j.experiments.results;

import static org.hypergrad4j.experiments.results.MetricsWriterTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    @Test
    void lossCurvesAreWrittenAtTheRequestedSizeAndAreNotBlank() throws IOException {
        double[] x = new double[100];
        double[] train = new double[100];
        double[] val = new double[100];
        for (int i = 0; i < 100; i++) {
            x[i] = 10 * i;
            train[i] = 2.3 * Math.exp(-i / 20.0) + 0.01;
            val[i] = i == 40 ? Double.NaN : 2.3 * Math.exp(-i / 30.0) + 0.2;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train", train);
        series.put("validation", val);
        Path linear = Plots.lossCurves(dir.resolve("nested/loss.png"), "Losses", x, series,
                Plots.Style.of("step", "loss").withSize(640, 400));
        BufferedImage image = assertPng(linear, 640, 400);
        assertTrue(variance(image) > 0);
        Path log = Plots.lossCurves(dir.resolve("loss-log.png"), "Losses", x, series, Plots.Style.of("step", "loss").withLogY(true));
        assertPng(log, 800, 500);
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    @Test
    void curvesWithTheirOwnXValuesAreDrawnAndBadCurvesRejected() throws IOException {
        Map<String, Plots.Curve> series = new LinkedHashMap<>();
        series.put("fast", new Plots.Curve(new double[] {0, 10, 15, 40}, new double[] {9, 4, 3.2, 3.0}));
        series.put("slow", new Plots.Curve(new double[] {0, 30, 70}, new double[] {9, 5, 3.6}));
        BufferedImage image = assertPng(Plots.curves(dir.resolve("curves.png"), "Loss against cost", series,
                Plots.Style.of("cost", "loss").withSize(500, 300)), 500, 300);
        assertTrue(variance(image) > 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Plots.Curve(new double[] {0, 1}, new double[] {1}));
        assertTrue(e.getMessage().contains("one y value per x value"), e.getMessage());
    }

    @Test
    void theDataChangesThePicture() throws IOException {
        double[] x = {0, 1, 2, 3};
        BufferedImage rising = assertPng(Plots.trajectories(dir.resolve("a.png"), "t", x, Map.of("lambda", new double[] {0, 1, 2, 3})), 800, 500);
        BufferedImage falling = assertPng(Plots.trajectories(dir.resolve("b.png"), "t", x, Map.of("lambda", new double[] {3, 2, 1, 0})), 800, 500);
        int differing = 0;
        for (int row = 0; row < 500; row++) {
            for (int col = 0; col < 800; col++) {
                differing += rising.getRGB(col, row) != falling.getRGB(col, row) ? 1 : 0;
            }
        }
        assertTrue(differing > 500, "only " + differing + " pixels differ");
    }

    @Test
    void trajectoriesOfManyHyperparametersAndAHistogramAreDrawn() throws IOException {
        double[] x = new double[20];
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < 40; k++) {
            double[] y = new double[20];
            for (int i = 0; i < 20; i++) {
                x[i] = i;
                y[i] = -2 + 0.05 * k * Math.log1p(i);
            }
            series.put("lambda_" + k, y);
        }
        assertTrue(variance(assertPng(Plots.trajectories(dir.resolve("traj.png"), "40 decays", x, series), 800, 500)) > 0);
        double[] values = new double[640];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = -2 + random.nextGaussian();
        }
        BufferedImage histogram = assertPng(Plots.histogram(dir.resolve("hist.png"), "decays", values, 30,
                Plots.Style.of("log decay", "count").withSize(300, 200)), 300, 200);
        assertTrue(variance(histogram) > 0);
        assertPng(Plots.histogram(dir.resolve("same.png"), "equal values", new double[] {1, 1, 1}, 1), 800, 500);
    }

    @Test
    void histogramBinsFollowTheDocumentedRule() {
        // lo = 0, hi = 2, 4 bins of width 0.5: [0, .5) holds 0 and 0.1; [.5, 1) holds .5 and .99; [1, 1.5) holds 1;
        // [1.5, 2] holds 2 (the last bin is closed).
        Plots.Histogram h = Plots.Histogram.of(new double[] {0, 0.1, 0.5, 0.99, 1.0, 2.0}, 4);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, h.edges(), 1e-15);
        assertArrayEquals(new long[] {2, 2, 1, 1}, h.counts());
        // Equal values: the bins split [v − 0.5, v + 0.5]; 3 lies on the middle edge, so in the upper bin.
        Plots.Histogram same = Plots.Histogram.of(new double[] {3, 3, 3}, 2);
        assertArrayEquals(new double[] {2.5, 3, 3.5}, same.edges(), 1e-15);
        assertArrayEquals(new long[] {0, 3}, same.counts());
        assertEquals(same, Plots.Histogram.of(new double[] {3, 3, 3}, 2));
        assertMessage(() -> new Plots.Histogram(new double[] {0, 0}, new long[] {1}), "strictly increasing");
        assertMessage(() -> new Plots.Histogram(new double[] {0, 1}, new long[] {-1}), "count 0 is -1");
    }

    @Test
    void tickPatternsKeepAboutThreeSignificantDigits() {
        assertEquals("0.##", Plots.decimalPattern(6.0));
        assertEquals("0", Plots.decimalPattern(1000.0));
        assertEquals("0.#####", Plots.decimalPattern(0.001));
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        Path png = dir.resolve("bad.png");
        double[] x = {0, 1, 2, 3};
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of("train", new double[] {1, 2, 3})),
                "The series \"train\" has 3 values, but there are 4 x values");
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of()), "at least one series, but got an empty map");
        assertMessage(() -> Plots.lossCurves(png, "t", x, null), "at least one series, but got null");
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of("val", new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN})),
                "The series \"val\" has no finite value (all 4 are NaN)");
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of("val", new double[] {1, Double.POSITIVE_INFINITY, 1, 1})),
                "infinite value Infinity at index 1");
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of("val", new double[] {1, 0, 1, 1}), Plots.Style.of("", "").withLogY(true)),
                "the value 0.0 at index 1, but a logarithmic y axis needs every value to be positive");
        assertMessage(() -> Plots.lossCurves(png, "t", new double[0], Map.of("a", new double[0])), "at least one x value");
        assertMessage(() -> Plots.lossCurves(png, "t", new double[] {0, Double.NaN}, Map.of("a", new double[] {1, 2})), "x[1] is NaN");
        assertMessage(() -> Plots.lossCurves(png, "t", x, Map.of(" ", x)), "non-blank");
        assertMessage(() -> Plots.trajectories(null, "t", x, Map.of("a", x)), "PNG path");
        assertMessage(() -> Plots.trajectories(png, null, x, Map.of("a", x)), "title");
        assertMessage(() -> Plots.histogram(png, "h", new double[] {1, 2}, 0), "bins must lie in [1, 10000], but was 0");
        assertMessage(() -> Plots.histogram(png, "h", new double[0], 3), "at least one value, but got an empty array");
        assertMessage(() -> Plots.histogram(png, "h", new double[] {1, Double.NaN}, 3), "value 1 is NaN");
        assertMessage(() -> Plots.histogram(png, "h", new double[] {1, 2}, 3, Plots.Style.of("", "").withLogY(true)),
                "cannot have a logarithmic y axis");
        assertMessage(() -> Plots.Style.of("x", "y").withSize(50, 400), "width must lie in [100, 10000] pixels, but was 50");
        assertMessage(() -> new Plots.Style(400, 20_000, "x", "y", false), "height must lie in [100, 10000] pixels, but was 20000");
        assertMessage(() -> new Plots.Style(400, 400, null, "y", false), "xLabel=null");
        assertTrue(!Files.exists(png));
    }

    private static BufferedImage assertPng(Path file, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " was not written");
        byte[] magic = new byte[8];
        System.arraycopy(Files.readAllBytes(file), 0, magic, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    /** The variance of the pixels' grey levels: 0 for a blank image. */
    private static double variance(BufferedImage image) {
        double sum = 0;
        double sumSquares = 0;
        int n = image.getWidth() * image.getHeight();
        for (int row = 0; row < image.getHeight(); row++) {
            for (int col = 0; col < image.getWidth(); col++) {
                int rgb = image.getRGB(col, row);
                double grey = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                sum += grey;
                sumSquares += grey * grey;
            }
        }
        double mean = sum / n;
        return sumSquares / n - mean * mean;
    }
}
