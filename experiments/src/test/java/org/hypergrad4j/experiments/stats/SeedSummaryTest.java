package org.hypergrad4j.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SeedSummaryTest {

    // Student-t quantiles from printed tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2), not from the code.
    private static final double T_0975_DF4 = 2.776445105;
    private static final double T_095_DF7 = 1.894578605;
    private static final double T_0975_DF1 = 12.70620474;

    @Test
    void oneToFiveMatchesTheHandComputedInterval() {
        SeedSummary s = SeedSummary.of(new double[] {1, 2, 3, 4, 5}, 0.95);
        assertEquals(5, s.n());
        assertEquals(3.0, s.mean(), 1e-15);
        // Σ(x − 3)² = 4 + 1 + 0 + 1 + 4 = 10, s² = 10 / 4 = 2.5.
        assertEquals(Math.sqrt(2.5), s.standardDeviation(), 1e-15);
        double half = T_0975_DF4 * Math.sqrt(2.5) / Math.sqrt(5); // 1.963243…
        assertEquals(1.963243, half, 1e-6);
        assertEquals(half, s.halfWidth(), 1e-8);
        assertEquals(3 - half, s.lower(), 1e-8);
        assertEquals(3 + half, s.upper(), 1e-8);
        assertEquals(Math.sqrt(2.5 / 5), s.standardError(), 1e-15);
        assertTrue(s.hasInterval());
    }

    @Test
    void ninetyPercentIntervalOfEightValues() {
        // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, s = √(32/7) = 2.138090.
        SeedSummary s = SeedSummary.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9}, 0.90);
        assertEquals(5.0, s.mean(), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7.0), s.standardDeviation(), 1e-14);
        assertEquals(T_095_DF7 * Math.sqrt(32.0 / 7.0) / Math.sqrt(8), s.halfWidth(), 1e-8);
        assertEquals(1.432167, s.halfWidth(), 1e-6);
    }

    @Test
    void twoValuesUseOneDegreeOfFreedom() {
        // s = √((0.25 + 0.25) / 1) = √0.5, h = 12.706 · √0.5 / √2 = 12.706 / 2.
        SeedSummary s = SeedSummary.of(new double[] {0, 1});
        assertEquals(0.95, s.confidence());
        assertEquals(Math.sqrt(0.5), s.standardDeviation(), 1e-15);
        assertEquals(T_0975_DF1 / 2, s.halfWidth(), 1e-7);
    }

    @Test
    void aSingleValueHasNoSpreadAndNoInterval() {
        SeedSummary s = SeedSummary.of(new double[] {0.25}, 0.95);
        assertEquals(1, s.n());
        assertEquals(0.25, s.mean());
        assertTrue(Double.isNaN(s.standardDeviation()));
        assertTrue(Double.isNaN(s.halfWidth()));
        assertTrue(Double.isNaN(s.lower()));
        assertTrue(Double.isNaN(s.upper()));
        assertTrue(Double.isNaN(s.standardError()));
        assertFalse(s.hasInterval());
        assertEquals("0.250 (n = 1)", s.format(3));
    }

    @Test
    void equalValuesGiveAZeroWidthInterval() {
        SeedSummary s = SeedSummary.of(new double[] {7, 7, 7});
        assertEquals(0.0, s.standardDeviation());
        assertEquals(0.0, s.halfWidth());
        assertEquals(7.0, s.lower());
        assertEquals(7.0, s.upper());
    }

    @Test
    void largeOffsetsDoNotDestroyTheVariance() {
        // The spread of {1e9 + 1, 1e9 + 2, 1e9 + 3} is that of {1, 2, 3}: s = 1. A one-pass Σx² − n m² formula loses it.
        SeedSummary s = SeedSummary.of(new double[] {1e9 + 1, 1e9 + 2, 1e9 + 3});
        assertEquals(1e9 + 2, s.mean(), 1e-6);
        assertEquals(1.0, s.standardDeviation(), 1e-9);
    }

    @Test
    void intervalsCoverTheTrueMeanAtTheirNominalRate() {
        // 4000 samples of 5 normals each: the 95% t interval covers μ with probability 0.95, so the observed rate lies
        // within 3 binomial standard errors (3 √(0.95 · 0.05 / 4000) ≈ 0.0103) of 0.95 with probability 0.997. A normal
        // (z = 1.96) interval would cover only about 0.88 with n = 5, and so would fail this test.
        Random random = new Random(20240501L);
        double mu = 10;
        double sigma = 2;
        int covered95 = 0;
        int covered80 = 0;
        int reps = 4000;
        for (int r = 0; r < reps; r++) {
            double[] x = new double[5];
            for (int i = 0; i < x.length; i++) {
                x[i] = mu + sigma * random.nextGaussian();
            }
            SeedSummary s95 = SeedSummary.of(x, 0.95);
            SeedSummary s80 = SeedSummary.of(x, 0.80);
            covered95 += s95.lower() <= mu && mu <= s95.upper() ? 1 : 0;
            covered80 += s80.lower() <= mu && mu <= s80.upper() ? 1 : 0;
        }
        assertEquals(0.95, covered95 / (double) reps, 3 * Math.sqrt(0.95 * 0.05 / reps));
        assertEquals(0.80, covered80 / (double) reps, 3 * Math.sqrt(0.80 * 0.20 / reps));
    }

    @Property(tries = 200, seed = "21")
    void higherConfidenceGivesAWiderIntervalAroundTheMean(
            @ForAll @Size(min = 2, max = 30) double[] values,
            @ForAll @DoubleRange(min = 0.5, max = 0.98) double confidence) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.isFinite(values[i]) ? Math.max(-1e6, Math.min(1e6, values[i])) : 0.0;
        }
        SeedSummary narrow = SeedSummary.of(values, confidence);
        SeedSummary wide = SeedSummary.of(values, confidence + 0.01);
        assertTrue(narrow.lower() <= narrow.mean() && narrow.mean() <= narrow.upper());
        assertTrue(wide.halfWidth() >= narrow.halfWidth(), () -> wide + " should be at least as wide as " + narrow);
        assertEquals(narrow.standardDeviation(), wide.standardDeviation());
    }

    @Test
    void formatShowsMeanHalfWidthLevelAndCount() {
        assertEquals("3.000 ± 1.963 (95% CI, n = 5)", SeedSummary.of(new double[] {1, 2, 3, 4, 5}).format(3));
        assertEquals("5.00 ± 1.43 (90% CI, n = 8)", SeedSummary.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9}, 0.9).format(2));
        // t_{0.9975, 4} = 5.5976, so h = 5.5976 · 1.5811 / 2.2361 = 3.958, shown as 4 with no decimals.
        assertEquals("3 ± 4 (99.5% CI, n = 5)", SeedSummary.of(new double[] {1, 2, 3, 4, 5}, 0.995).format(0));
    }

    @Test
    void badInputIsRejectedWithTheOffendingValue() {
        assertMessage(() -> SeedSummary.of(null, 0.95), "at least one value");
        assertMessage(() -> SeedSummary.of(new double[0], 0.95), "an empty array");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2, Double.NaN}, 0.95), "value 2 is NaN");
        assertMessage(() -> SeedSummary.of(new double[] {1, Double.POSITIVE_INFINITY}, 0.95), "value 1 is Infinity");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2}, 0.0), "(0, 1), e.g. 0.95, but was 0.0");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2}, 1.0), "but was 1.0");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2}, 95), "but was 95.0");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2}, Double.NaN), "but was NaN");
        assertMessage(() -> SeedSummary.of(new double[] {1, 2}).format(-1), "[0, 17], but was -1");
    }

    @Test
    void theRecordRejectsInconsistentComponents() {
        assertMessage(() -> new SeedSummary(0, 1, 0, 0.95, 0), "n was 0");
        assertMessage(() -> new SeedSummary(1, 1, 0.5, 0.95, Double.NaN), "must be NaN");
        assertMessage(() -> new SeedSummary(3, 1, -1, 0.95, 0), "but was -1.0");
        assertMessage(() -> new SeedSummary(3, 1, 1, 0.95, Double.NaN), "half-width of 3 values");
        assertMessage(() -> new SeedSummary(3, Double.NaN, 1, 0.95, 1), "mean must be finite");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }
}
