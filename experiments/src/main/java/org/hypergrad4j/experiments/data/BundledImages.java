package org.hypergrad4j.experiments.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * Two bundled colour photographs (scikit-learn's {@code china.jpg} and {@code flower.jpg}, CC BY 2.0), as
 * greyscale images for denoising experiments, plus cropping and downsampling helpers.
 *
 * <p>An <em>image</em> here is a {@code double[height][width]} array, row-major (row 0 is the top), with
 * {@code height, width ≥ 1}, all rows the same length, and every value in {@code [0, 1]} (0 black, 1 white).
 * Every method returns a fresh array that the caller owns; no method modifies its argument.
 *
 * <p>Greyscale conversion uses the ITU-R BT.601 luma weights on the 8-bit sRGB channel values, without
 * gamma linearisation: {@code (0.299 R + 0.587 G + 0.114 B) / 255}.
 */
public final class BundledImages {

    /** Height in pixels of both bundled photographs. */
    public static final int HEIGHT = 427;
    /** Width in pixels of both bundled photographs. */
    public static final int WIDTH = 640;

    private static final Map<String, double[][]> CACHE = new ConcurrentHashMap<>();

    private BundledImages() {
    }

    /**
     * Loads the photograph of a Chinese temple.
     *
     * @return a fresh 427 × 640 greyscale image with values in {@code [0, 1]}
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     * @throws DatasetFormatException   if it cannot be decoded or has unexpected dimensions
     */
    public static double[][] china() {
        return load("china.jpg");
    }

    /**
     * Loads the photograph of a flower.
     *
     * @return a fresh 427 × 640 greyscale image with values in {@code [0, 1]}
     * @throws DatasetNotFoundException if the bundled file is missing from the classpath
     * @throws DatasetFormatException   if it cannot be decoded or has unexpected dimensions
     */
    public static double[][] flower() {
        return load("flower.jpg");
    }

    /**
     * Converts a decoded image to greyscale luminance in {@code [0, 1]}.
     *
     * @param image any decoded image (colour models other than RGB are converted through
     *              {@link BufferedImage#getRGB(int, int)}; alpha is ignored)
     * @return a fresh {@code image.getHeight() × image.getWidth()} array of
     *     {@code (0.299 R + 0.587 G + 0.114 B) / 255}
     * @throws IllegalArgumentException if the image is null
     */
    public static double[][] luminance(BufferedImage image) {
        if (image == null) {
            throw new IllegalArgumentException("The image to convert to greyscale must not be null.");
        }
        int height = image.getHeight();
        int width = image.getWidth();
        double[][] grey = new double[height][width];
        int[] rgb = new int[width];
        for (int r = 0; r < height; r++) {
            image.getRGB(0, r, width, 1, rgb, 0, width);
            double[] row = grey[r];
            for (int c = 0; c < width; c++) {
                int p = rgb[c];
                int red = (p >>> 16) & 0xFF;
                int green = (p >>> 8) & 0xFF;
                int blue = p & 0xFF;
                double y = (0.299 * red + 0.587 * green + 0.114 * blue) / 255.0;
                row[c] = Math.min(1.0, Math.max(0.0, y));
            }
        }
        return grey;
    }

    /**
     * Cuts a rectangle out of an image.
     *
     * @param image  an image (rectangular, non-empty)
     * @param top    the first row, {@code 0 ≤ top}
     * @param left   the first column, {@code 0 ≤ left}
     * @param height the number of rows, {@code 1 ≤ height} and {@code top + height ≤ image height}
     * @param width  the number of columns, {@code 1 ≤ width} and {@code left + width ≤ image width}
     * @return a fresh {@code height × width} array whose entry {@code [r][c]} is
     *     {@code image[top + r][left + c]}
     * @throws IllegalArgumentException if the image is null, empty or ragged, or the rectangle does not lie
     *     inside it
     */
    public static double[][] crop(double[][] image, int top, int left, int height, int width) {
        int imageWidth = checkImage(image);
        int imageHeight = image.length;
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("A crop must be at least 1 × 1 pixels, but " + height + " × "
                    + width + " was requested.");
        }
        if (top < 0 || (long) top + height > imageHeight) {
            throw new IllegalArgumentException("Rows " + top + " to " + ((long) top + height - 1)
                    + " of the crop lie outside the image's rows 0 to " + (imageHeight - 1) + ".");
        }
        if (left < 0 || (long) left + width > imageWidth) {
            throw new IllegalArgumentException("Columns " + left + " to " + ((long) left + width - 1)
                    + " of the crop lie outside the image's columns 0 to " + (imageWidth - 1) + ".");
        }
        double[][] out = new double[height][];
        for (int r = 0; r < height; r++) {
            out[r] = Arrays.copyOfRange(image[top + r], left, left + width);
        }
        return out;
    }

    /**
     * Downsamples an image by averaging non-overlapping {@code factor × factor} blocks. Trailing rows and
     * columns that do not fill a whole block are discarded, so the result is
     * {@code floor(height / factor) × floor(width / factor)}. A factor of 1 returns a copy. Block means of
     * values in {@code [0, 1]} stay in {@code [0, 1]}.
     *
     * @param image  an image (rectangular, non-empty)
     * @param factor the block size, {@code 1 ≤ factor ≤ min(height, width)}
     * @return a fresh downsampled image whose entry {@code [r][c]} is the mean of
     *     {@code image[factor·r .. factor·r + factor − 1][factor·c .. factor·c + factor − 1]}
     * @throws IllegalArgumentException if the image is null, empty or ragged, or the factor is out of range
     */
    public static double[][] downsample(double[][] image, int factor) {
        int imageWidth = checkImage(image);
        int imageHeight = image.length;
        int maxFactor = Math.min(imageHeight, imageWidth);
        if (factor < 1 || factor > maxFactor) {
            throw new IllegalArgumentException("The downsampling factor must be in [1, " + maxFactor
                    + "] for a " + imageHeight + " × " + imageWidth + " image, but was " + factor + ".");
        }
        int height = imageHeight / factor;
        int width = imageWidth / factor;
        double scale = 1.0 / ((double) factor * factor);
        double[][] out = new double[height][width];
        for (int r = 0; r < height; r++) {
            double[] target = out[r];
            for (int dr = 0; dr < factor; dr++) {
                double[] source = image[r * factor + dr];
                for (int c = 0; c < width; c++) {
                    double sum = 0.0;
                    int base = c * factor;
                    for (int dc = 0; dc < factor; dc++) {
                        sum += source[base + dc];
                    }
                    target[c] += sum;
                }
            }
            for (int c = 0; c < width; c++) {
                target[c] *= scale;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------

    private static double[][] load(String fileName) {
        double[][] cached = CACHE.computeIfAbsent(fileName, BundledImages::decode);
        double[][] copy = new double[cached.length][];
        for (int r = 0; r < cached.length; r++) {
            copy[r] = cached[r].clone();
        }
        return copy;
    }

    private static double[][] decode(String fileName) {
        String source = ClasspathResources.path(fileName);
        BufferedImage image;
        try (InputStream in = ClasspathResources.open(fileName)) {
            image = ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the bundled image " + source + " failed: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DatasetFormatException(source, "The bundled image " + source
                    + " could not be decoded: no installed javax.imageio reader accepts it.");
        }
        if (image.getHeight() != HEIGHT || image.getWidth() != WIDTH) {
            throw new DatasetFormatException(source, "The bundled image " + source + " is " + image.getHeight()
                    + " × " + image.getWidth() + " pixels, but " + HEIGHT + " × " + WIDTH + " is expected.");
        }
        return luminance(image);
    }

    /** Validates an image and returns its width. */
    private static int checkImage(double[][] image) {
        if (image == null) {
            throw new IllegalArgumentException("The image must not be null.");
        }
        if (image.length == 0) {
            throw new IllegalArgumentException("The image must have at least one row, but has none.");
        }
        if (image[0] == null || image[0].length == 0) {
            throw new IllegalArgumentException("Row 0 of the image must have at least one pixel.");
        }
        int width = image[0].length;
        for (int r = 1; r < image.length; r++) {
            if (image[r] == null || image[r].length != width) {
                throw new IllegalArgumentException("Row " + r + " of the image has "
                        + (image[r] == null ? "no array" : image[r].length + " pixels")
                        + ", but row 0 has " + width + "; images must be rectangular.");
            }
        }
        return width;
    }
}
