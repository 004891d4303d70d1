package org.hypergrad4j.repro.inexact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.bilevel.inexact.Hoag;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.bilevel.inexact.Maid;
import org.hypergrad4j.experiments.data.BundledImages;
import org.hypergrad4j.experiments.results.Plots;
import org.junit.jupiter.api.Test;

/**
 * MAID against HOAG (geometric schedule) on learning the weight and smoothing of total-variation denoising
 * ({@link TotalVariationDenoisingBilevel}): 4 training crops of 24 × 24 pixels from the bundled "china" photograph
 * (downsampled 4×), 4 held-out crops of the "flower" photograph, Gaussian noise σ = 0.1 (seeds 1 and 2),
 * θ₀ = (−5, −3). Both methods use L-BFGS (memory 10) for the lower level. HOAG runs 30 iterations from ε₀ = 1e-3;
 * MAID (the authors' defaults) gets the same cost budget. Checks: the learned θ denoise held-out crops better
 * than θ₀; at HOAG's final cost MAID's iterate has a held-out PSNR at least HOAG's and a training upper-level
 * value at most HOAG's; MAID's final value (each run stops at the first iteration that passes HOAG's cost) varies
 * by under 1% over ε₀ = δ₀ ∈ {1e-1, 1e-3} and β₀ ∈ {1e-2, 1e-1}. Writes the figure {@code target/maid-hoag/tv-upper-loss-vs-cost.png} (and a copy into the
 * directory named by the system property {@code maid.figures}, if set).
 */
class MaidTotalVariationTest {
    private static final double[] INITIAL_THETA = {-5, -3};
    private static final int CROPS = 4;
    private static final int SIDE = 24;
    private static final double SIGMA = 0.1;
    /** Lower-level tolerance of the reference solves (F values and PSNRs), not counted in any cost. */
    private static final double EXACT = 1e-8;

    private static TotalVariationDenoisingBilevel.Crops crops(double[][] photograph, long seed) {
        return TotalVariationDenoisingBilevel.Crops.sample(BundledImages.downsample(photograph, 4), CROPS, SIDE, SIGMA, new Random(seed));
    }

    private static CostTrace maid(TotalVariationDenoisingBilevel.Crops train, Maid.Settings settings, long budget) {
        TotalVariationDenoisingBilevel p = new TotalVariationDenoisingBilevel(train, INITIAL_THETA);
        Maid maid = new Maid(p.problem(), new LbfgsSolver(10), settings);
        return CostTrace.of(maid, p.problem(), 10_000, budget, () -> p.upperValueAtSolution(EXACT));
    }

    @Test
    void maidDenoisesBetterThanHoagAtEqualCost() throws IOException {
        TotalVariationDenoisingBilevel.Crops train = crops(BundledImages.china(), 1);
        TotalVariationDenoisingBilevel.Crops heldOut = crops(BundledImages.flower(), 2);
        double noisyPsnr = TotalVariationDenoisingBilevel.meanPsnr(heldOut.noisy(), heldOut.clean());
        double initialPsnr = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, INITIAL_THETA, EXACT);

        TotalVariationDenoisingBilevel hoagProblem = new TotalVariationDenoisingBilevel(train, INITIAL_THETA);
        Hoag hoag = new Hoag(hoagProblem.problem(), new LbfgsSolver(10), Hoag.Schedule.GEOMETRIC, 1e-3);
        CostTrace hoagTrace = CostTrace.of(hoag, hoagProblem.problem(), 30, Long.MAX_VALUE, () -> hoagProblem.upperValueAtSolution(EXACT));
        long budget = hoag.cost();
        CostTrace.Point hoagFinal = hoagTrace.last();
        double hoagPsnr = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, hoagFinal.hyperparameters(), EXACT);

        CostTrace maidTrace = maid(train, Maid.Settings.defaults(), budget);
        CostTrace.Point maidAtBudget = maidTrace.at(budget);
        double maidPsnr = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, maidAtBudget.hyperparameters(), EXACT);

        System.out.printf("TV: %d crops %dx%d, sigma %.2f; held-out PSNR noisy %.3f dB, theta0 %.3f dB%n", CROPS, SIDE, SIDE, SIGMA, noisyPsnr, initialPsnr);
        System.out.printf("HOAG: F %.5f -> %.5f, cost %d, theta (%.4f, %.4f), held-out PSNR %.3f dB%n", hoagTrace.points().get(0).upperValue(),
                hoagFinal.upperValue(), budget, hoagFinal.hyperparameters()[0], hoagFinal.hyperparameters()[1], hoagPsnr);
        System.out.printf("MAID at cost %d: F %.5f, theta (%.4f, %.4f), held-out PSNR %.3f dB; reaches HOAG's final F at cost %s%n",
                maidAtBudget.cost(), maidAtBudget.upperValue(), maidAtBudget.hyperparameters()[0], maidAtBudget.hyperparameters()[1], maidPsnr,
                maidTrace.costToReach(hoagFinal.upperValue()));

        assertTrue(maidPsnr > initialPsnr + 1, "learned θ: " + maidPsnr + " dB vs θ₀: " + initialPsnr + " dB");
        assertTrue(hoagPsnr > initialPsnr, "HOAG's θ: " + hoagPsnr + " dB vs θ₀: " + initialPsnr + " dB");
        assertTrue(maidPsnr >= hoagPsnr, "at cost " + budget + ": MAID " + maidPsnr + " dB vs HOAG " + hoagPsnr + " dB");
        assertTrue(maidAtBudget.upperValue() <= hoagFinal.upperValue(),
                "at cost " + budget + ": MAID F = " + maidAtBudget.upperValue() + " vs HOAG F = " + hoagFinal.upperValue());

        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (double accuracy : new double[] {1e-1, 1e-3}) {
            for (double step : new double[] {1e-2, 1e-1}) {
                TotalVariationDenoisingBilevel p = new TotalVariationDenoisingBilevel(train, INITIAL_THETA);
                Maid run = new Maid(p.problem(), new LbfgsSolver(10), Maid.Settings.defaults().withAccuracy(accuracy, accuracy).withStep(step));
                run.run(10_000, budget);
                double value = p.upperValueAtSolution(EXACT);
                System.out.printf("MAID eps0 = delta0 = %.0e, beta0 = %.0e: final F %.5f (cost %d)%n", accuracy, step, value, run.cost());
                lowest = Math.min(lowest, value);
                highest = Math.max(highest, value);
            }
        }
        assertTrue((highest - lowest) / lowest < 0.01, "MAID's F over ε₀ × β₀ spans " + lowest + " to " + highest);

        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        curves.put("MAID (ε₀ = δ₀ = 0.1, β₀ = 0.1)", new Plots.Curve(maidTrace.costs(), maidTrace.values()));
        curves.put("HOAG (geometric, ε₀ = 1e-3)", new Plots.Curve(hoagTrace.costs(), hoagTrace.values()));
        Path figure = Plots.curves(Path.of("target", "maid-hoag", "tv-upper-loss-vs-cost.png"),
                "TV denoising: upper-level loss at x*(θ) against cost", curves,
                Plots.Style.of("lower-level + CG iterations", "½‖x*(θ) − x̄‖² (4 training crops)").withSize(720, 420));
        assertTrue(Files.size(figure) > 1000, "figure " + figure + " is too small");
        String copyTo = System.getProperty("maid.figures");
        if (copyTo != null) {
            Path target = Path.of(copyTo).resolve("maid-hoag-tv.png");
            Files.createDirectories(target.getParent());
            Files.copy(figure, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
