package org.hypergrad4j.hypernets.stn;

import java.util.Random;

/**
 * Data augmentation whose strengths are hyperparameters of a self-tuning network, applied per example with
 * that example's perturbed values (so each example of a batch may be augmented differently). For images
 * flattened channel-major ({@code c·h·w} features), in this order:
 * <ol>
 *   <li>contrast {@code c}: {@code x ← m + (x − m)·f}, {@code f ~ U(1 − c, 1 + c)}, {@code m} the image mean;</li>
 *   <li>brightness {@code β}: {@code x ← x + δ}, {@code δ ~ U(−β, β)};</li>
 *   <li>shift {@code k} (discrete): translate by integers {@code (dy, dx) ~ U{−k … k}²}, filling with zeros;</li>
 *   <li>cutout (DeVries and Taylor 2017) with length {@code L} and {@code n} holes (both discrete): zero {@code n}
 *       squares of side {@code L}, centres uniform over the image, clipped at the borders;</li>
 *   <li>Gaussian noise {@code s}: {@code x ← x + s·N(0, 1)}.</li>
 * </ol>
 * A strength of 0 leaves the image unchanged. Each augmentation is off unless a hyperparameter drives it.
 */
public final class ImageAugmentation {
    private final int channels;
    private final int height;
    private final int width;
    private String noise;
    private String shift;
    private String cutoutLength;
    private String cutoutHoles;
    private String brightness;
    private String contrast;

    private ImageAugmentation(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Image shape must be positive; got " + channels + "×" + height + "×" + width + ".");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** Augmentation of {@code channels×height×width} images; add augmentations with the other methods. */
    public static ImageAugmentation forImages(int channels, int height, int width) {
        return new ImageAugmentation(channels, height, width);
    }

    public ImageAugmentation noise(String hyperparameter) {
        this.noise = hyperparameter;
        return this;
    }

    public ImageAugmentation shift(String hyperparameter) {
        this.shift = hyperparameter;
        return this;
    }

    public ImageAugmentation cutout(String lengthHyperparameter, String holesHyperparameter) {
        this.cutoutLength = lengthHyperparameter;
        this.cutoutHoles = holesHyperparameter;
        return this;
    }

    public ImageAugmentation brightness(String hyperparameter) {
        this.brightness = hyperparameter;
        return this;
    }

    public ImageAugmentation contrast(String hyperparameter) {
        this.contrast = hyperparameter;
        return this;
    }

    /** Checks that every named hyperparameter exists and that the image shape fits {@code features}. */
    void validate(StnHyperparameters hp, int features) {
        if ((long) channels * height * width != features) {
            throw new IllegalArgumentException("Augmentation for " + channels + "×" + height + "×" + width + " images does not fit inputs of " + features
                    + " features.");
        }
        for (String n : new String[]{noise, shift, cutoutLength, cutoutHoles, brightness, contrast}) {
            if (n != null) {
                hp.indexOf(n);
            }
        }
        for (String n : new String[]{shift, cutoutLength, cutoutHoles}) {
            if (n != null && hp.spec(n).kind() != StnHyperparameter.Kind.DISCRETE) {
                throw new IllegalArgumentException("Hyperparameter '" + n + "' drives a discrete augmentation and must be StnHyperparameter.discrete; it is "
                        + hp.spec(n).kind() + ".");
            }
        }
    }

    /** Augments {@code image} in place with the example's hyperparameter values {@code values} (indexed as in {@code hp}). */
    void apply(double[] image, double[] values, StnHyperparameters hp, Random rnd) {
        if (contrast != null) {
            double c = values[hp.indexOf(contrast)];
            if (c > 0) {
                double mean = 0;
                for (double v : image) {
                    mean += v;
                }
                mean /= image.length;
                double f = 1 + c * (2 * rnd.nextDouble() - 1);
                for (int i = 0; i < image.length; i++) {
                    image[i] = mean + (image[i] - mean) * f;
                }
            }
        }
        if (brightness != null) {
            double b = values[hp.indexOf(brightness)];
            if (b > 0) {
                double d = b * (2 * rnd.nextDouble() - 1);
                for (int i = 0; i < image.length; i++) {
                    image[i] += d;
                }
            }
        }
        if (shift != null) {
            int k = (int) values[hp.indexOf(shift)];
            if (k > 0) {
                int dy = rnd.nextInt(2 * k + 1) - k;
                int dx = rnd.nextInt(2 * k + 1) - k;
                translate(image, dy, dx);
            }
        }
        if (cutoutLength != null && cutoutHoles != null) {
            int length = (int) values[hp.indexOf(cutoutLength)];
            int holes = (int) values[hp.indexOf(cutoutHoles)];
            for (int hole = 0; hole < holes && length > 0; hole++) {
                int cy = rnd.nextInt(height);
                int cx = rnd.nextInt(width);
                int y0 = Math.max(0, cy - length / 2);
                int y1 = Math.min(height, cy - length / 2 + length);
                int x0 = Math.max(0, cx - length / 2);
                int x1 = Math.min(width, cx - length / 2 + length);
                for (int c = 0; c < channels; c++) {
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            image[(c * height + y) * width + x] = 0;
                        }
                    }
                }
            }
        }
        if (noise != null) {
            double s = values[hp.indexOf(noise)];
            if (s > 0) {
                for (int i = 0; i < image.length; i++) {
                    image[i] += s * rnd.nextGaussian();
                }
            }
        }
    }

    private void translate(double[] image, int dy, int dx) {
        double[] src = image.clone();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    image[(c * height + y) * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? src[(c * height + sy) * width + sx] : 0;
                }
            }
        }
    }
}
