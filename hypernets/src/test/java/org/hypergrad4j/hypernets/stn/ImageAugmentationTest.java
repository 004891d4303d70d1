package org.hypergrad4j.hypernets.stn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each augmentation does what its Javadoc says, at the strength given by the example's hyperparameter values. */
class ImageAugmentationTest {
    private static final int C = 2;
    private static final int H = 6;
    private static final int W = 5;

    private static StnHyperparameters hp() {
        return new StnHyperparameters(List.of(StnHyperparameter.linear("noise", 0, 1, 0.1), StnHyperparameter.discrete("shift", 0, 3, 1),
                StnHyperparameter.discrete("length", 0, 6, 2), StnHyperparameter.discrete("holes", 0, 3, 1),
                StnHyperparameter.linear("brightness", 0, 1, 0.1), StnHyperparameter.linear("contrast", 0, 1, 0.1)));
    }

    private static double[] image(long seed) {
        Random r = new Random(seed);
        double[] x = new double[C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + r.nextDouble();
        }
        return x;
    }

    /** Values [noise, shift, length, holes, brightness, contrast]. */
    private static double[] values(double noise, int shift, int length, int holes, double brightness, double contrast) {
        return new double[]{noise, shift, length, holes, brightness, contrast};
    }

    @Test
    void zeroStrengthsLeaveTheImageUnchanged() {
        StnHyperparameters hp = hp();
        ImageAugmentation all = ImageAugmentation.forImages(C, H, W).noise("noise").shift("shift").cutout("length", "holes")
                .brightness("brightness").contrast("contrast");
        double[] x = image(1);
        double[] y = x.clone();
        all.apply(y, values(0, 0, 0, 0, 0, 0), hp, new Random(2));
        assertArrayEquals(x, y, 0.0);
    }

    @Test
    void brightnessAddsOneOffsetWithinItsRange() {
        StnHyperparameters hp = hp();
        ImageAugmentation a = ImageAugmentation.forImages(C, H, W).brightness("brightness");
        for (int trial = 0; trial < 20; trial++) {
            double[] x = image(trial);
            double[] y = x.clone();
            a.apply(y, values(0, 0, 0, 0, 0.3, 0), hp, new Random(trial));
            double offset = y[0] - x[0];
            assertTrue(Math.abs(offset) <= 0.3, "offset " + offset);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] + offset, y[i], 1e-12);
            }
        }
    }

    @Test
    void contrastScalesAroundTheMeanByAFactorWithinItsRange() {
        StnHyperparameters hp = hp();
        ImageAugmentation a = ImageAugmentation.forImages(C, H, W).contrast("contrast");
        double[] x = image(3);
        double[] y = x.clone();
        a.apply(y, values(0, 0, 0, 0, 0, 0.5), hp, new Random(4));
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double factor = (y[0] - mean) / (x[0] - mean);
        assertTrue(factor >= 0.5 && factor <= 1.5, "factor " + factor);
        for (int i = 0; i < x.length; i++) {
            assertEquals(mean + (x[i] - mean) * factor, y[i], 1e-12);
        }
        assertEquals(mean, java.util.Arrays.stream(y).average().orElseThrow(), 1e-12);
    }

    @Test
    void shiftTranslatesEveryChannelByAtMostItsStrengthAndFillsWithZeros() {
        StnHyperparameters hp = hp();
        ImageAugmentation a = ImageAugmentation.forImages(C, H, W).shift("shift");
        boolean moved = false;
        for (int trial = 0; trial < 20; trial++) {
            double[] x = image(trial);
            double[] y = x.clone();
            a.apply(y, values(0, 2, 0, 0, 0, 0), hp, new Random(trial));
            int[] found = findShift(x, y);
            assertTrue(found != null, "the result is not a translation of the input by at most 2 pixels");
            moved |= found[0] != 0 || found[1] != 0;
        }
        assertTrue(moved, "some draw should move the image");
    }

    /** The (dy, dx) with |dy|, |dx| ≤ 2 that maps x to y with zero fill, or null. */
    private static int[] findShift(double[] x, double[] y) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                boolean ok = true;
                for (int c = 0; c < C && ok; c++) {
                    for (int r = 0; r < H && ok; r++) {
                        for (int col = 0; col < W && ok; col++) {
                            int sr = r - dy;
                            int sc = col - dx;
                            double expected = sr >= 0 && sr < H && sc >= 0 && sc < W ? x[(c * H + sr) * W + sc] : 0;
                            ok = expected == y[(c * H + r) * W + col];
                        }
                    }
                }
                if (ok) {
                    return new int[]{dy, dx};
                }
            }
        }
        return null;
    }

    @Test
    void cutoutZeroesAtMostHolesSquaresOfTheGivenSideInEveryChannel() {
        StnHyperparameters hp = hp();
        ImageAugmentation a = ImageAugmentation.forImages(C, H, W).cutout("length", "holes");
        double[] x = image(5);
        double[] y = x.clone();
        a.apply(y, values(0, 0, 2, 1, 0, 0), hp, new Random(6));
        int zeros = 0;
        for (int i = 0; i < H * W; i++) {
            boolean zeroInFirst = y[i] == 0;
            assertEquals(zeroInFirst, y[H * W + i] == 0, "cutout covers every channel at the same pixels");
            zeros += zeroInFirst ? 1 : 0;
            if (!zeroInFirst) {
                assertEquals(x[i], y[i], 0.0);
            }
        }
        assertTrue(zeros >= 1 && zeros <= 4, "one hole of side 2 zeroes 1 to 4 pixels (clipped at borders); got " + zeros);
        double[] z = x.clone();
        a.apply(z, values(0, 0, 2, 3, 0, 0), hp, new Random(6));
        long more = java.util.Arrays.stream(z).filter(v -> v == 0).count() / C;
        assertTrue(more >= zeros && more <= 12, "three holes zero at most 12 pixels; got " + more);
    }

    @Test
    void noiseHasTheGivenStandardDeviation() {
        StnHyperparameters hp = hp();
        ImageAugmentation a = ImageAugmentation.forImages(1, 100, 100).noise("noise");
        double[] x = new double[100 * 100];
        a.apply(x, values(0.2, 0, 0, 0, 0, 0), hp, new Random(7));
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1));
        // 10,000 draws: the sample standard deviation is within 3% of 0.2 with overwhelming probability (σ_sd ≈ 0.7%).
        assertEquals(0.2, sd, 0.006);
        assertEquals(0.0, mean, 0.01);
    }
}
