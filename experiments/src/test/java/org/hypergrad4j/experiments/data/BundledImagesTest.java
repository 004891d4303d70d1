package org.hypergrad4j.experiments.data;

import static org.hypergrad4j.experiments.data.DatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BundledImagesTest {

    @Test
    void bothPhotographsAre427By640WithValuesInTheUnitInterval() {
        for (double[][] image : new double[][][] {BundledImages.china(), BundledImages.flower()}) {
            assertEquals(427, image.length);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double[] row : image) {
                assertEquals(640, row.length);
                for (double v : row) {
                    assertTrue(v >= 0.0 && v <= 1.0, "pixel value " + v);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                }
            }
            double mean = sum / (427 * 640);
            assertTrue(max - min > 0.5, "a photograph should use a wide range of grey levels, not [" + min + ", "
                    + max + "]");
            assertTrue(mean > 0.1 && mean < 0.9, "mean grey level " + mean);
        }
        assertFalse(Arrays.deepEquals(BundledImages.china(), BundledImages.flower()));
    }

    @Test
    void eachCallReturnsAFreshCopy() {
        double[][] first = BundledImages.china();
        double original = first[10][20];
        first[10][20] = -5;
        double[][] second = BundledImages.china();
        assertNotSame(first, second);
        assertEquals(original, second[10][20]);
    }

    @Test
    void luminanceUsesBt601Weights() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(1, 0, 0x00FF00);
        image.setRGB(2, 0, 0x0000FF);
        image.setRGB(0, 1, 0xFFFFFF);
        image.setRGB(1, 1, 0x000000);
        image.setRGB(2, 1, 0x336699);
        double[][] grey = BundledImages.luminance(image);
        assertEquals(0.299, grey[0][0], 1e-12);
        assertEquals(0.587, grey[0][1], 1e-12);
        assertEquals(0.114, grey[0][2], 1e-12);
        assertEquals(1.0, grey[1][0], 1e-12);
        assertEquals(0.0, grey[1][1], 1e-12);
        assertEquals((0.299 * 0x33 + 0.587 * 0x66 + 0.114 * 0x99) / 255.0, grey[1][2], 1e-12);
    }

    @Test
    void cropCopiesTheRequestedRectangle() {
        double[][] image = ramp(4, 5);
        double[][] crop = BundledImages.crop(image, 1, 2, 2, 3);
        assertArrayEquals(new double[] {12, 13, 14}, crop[0]);
        assertArrayEquals(new double[] {22, 23, 24}, crop[1]);
        crop[0][0] = -1;
        assertEquals(12, image[1][2]);
        assertEquals(427, BundledImages.crop(BundledImages.flower(), 0, 0, 427, 640).length);
    }

    @Test
    void cropRejectsRectanglesOutsideTheImage() {
        double[][] image = ramp(4, 5);
        assertMessage(() -> BundledImages.crop(image, 3, 0, 2, 1), "Rows 3 to 4 of the crop lie outside the image's rows 0 to 3.");
        assertMessage(() -> BundledImages.crop(image, 0, 4, 1, 2), "Columns 4 to 5 of the crop lie outside the image's columns 0 to 4.");
        assertMessage(() -> BundledImages.crop(image, -1, 0, 1, 1), "Rows -1 to -1");
        assertMessage(() -> BundledImages.crop(image, 0, 0, 0, 1), "at least 1 × 1 pixels, but 0 × 1 was requested");
        assertMessage(() -> BundledImages.crop(image, 0, Integer.MAX_VALUE, 1, 2), "Columns 2147483647 to 2147483648");
        assertMessage(() -> BundledImages.crop(new double[][] {{1, 2}, {3}}, 0, 0, 1, 1), "images must be rectangular");
        assertMessage(() -> BundledImages.crop(new double[0][], 0, 0, 1, 1), "at least one row");
        assertMessage(() -> BundledImages.crop(null, 0, 0, 1, 1), "must not be null");
    }

    @Test
    void downsampleAveragesBlocksAndDropsIncompleteOnes() {
        double[][] image = ramp(5, 7);
        double[][] small = BundledImages.downsample(image, 2);
        assertEquals(2, small.length);
        assertEquals(3, small[0].length);
        // Block rows 0-1, columns 0-1: (0 + 1 + 10 + 11) / 4 = 5.5.
        assertEquals(5.5, small[0][0], 1e-12);
        // Block rows 2-3, columns 4-5: (24 + 25 + 34 + 35) / 4 = 29.5.
        assertEquals(29.5, small[1][2], 1e-12);
        assertArrayEquals(image[3], BundledImages.downsample(image, 1)[3]);
        double[][] china = BundledImages.downsample(BundledImages.china(), 4);
        assertEquals(106, china.length);
        assertEquals(160, china[0].length);
        for (double[] row : china) {
            for (double v : row) {
                assertTrue(v >= 0 && v <= 1, "downsampled value " + v);
            }
        }
    }

    @Test
    void downsampleRejectsFactorsOutOfRange() {
        assertMessage(() -> BundledImages.downsample(ramp(5, 7), 0),
                "The downsampling factor must be in [1, 5] for a 5 × 7 image, but was 0.");
        assertMessage(() -> BundledImages.downsample(ramp(5, 7), 6), "but was 6");
    }

    /** An image whose pixel (r, c) holds 10 r + c. */
    private static double[][] ramp(int height, int width) {
        double[][] image = new double[height][width];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                image[r][c] = 10 * r + c;
            }
        }
        return image;
    }
}
