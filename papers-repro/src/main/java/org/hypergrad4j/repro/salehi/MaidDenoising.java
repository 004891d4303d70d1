package org.hypergrad4j.repro.salehi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.bilevel.inexact.Hoag;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.bilevel.inexact.Maid;
import org.hypergrad4j.experiments.data.BundledImages;
import org.hypergrad4j.repro.inexact.CostTrace;
import org.hypergrad4j.repro.inexact.TotalVariationDenoisingBilevel;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;

/**
 * MAID (Salehi et al.) against HOAG (Pedregosa 2016, geometric schedule) on learning the weight and smoothing of
 * total-variation denoising ({@link TotalVariationDenoisingBilevel}), at equal cost (lower-level plus CG iterations):
 * training crops of the bundled "china" photograph, held-out crops of "flower", Gaussian noise σ = 0.1.
 */
public final class MaidDenoising implements Reproduction {
    private static final double[] INITIAL_THETA = {-5, -3};
    private static final int SIDE = 24;
    private static final double SIGMA = 0.1;
    private static final double EXACT = 1e-8;

    @Override
    public String name() {
        return "maid-tv-denoising";
    }

    @Override
    public String title() {
        return "Salehi et al. (MAID): adaptive-accuracy bilevel optimisation against HOAG on total-variation denoising";
    }

    private static int crops(Scale scale) {
        return scale == Scale.SMOKE ? 2 : 4;
    }

    @Override
    public Report run(Run run) {
        int count = crops(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        double[] initialPsnr = new double[n];
        double[] hoagPsnr = new double[n];
        double[] maidPsnr = new double[n];
        double[] hoagF = new double[n];
        double[] maidF = new double[n];
        double[] cost = new double[n];
        double[] maidToHoag = new double[n];
        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "method", "cost", "upper_value", "held_out_psnr"))) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                TotalVariationDenoisingBilevel.Crops train = TotalVariationDenoisingBilevel.Crops.sample(
                        BundledImages.downsample(BundledImages.china(), 4), count, SIDE, SIGMA, new Random(2 * seed - 1));
                TotalVariationDenoisingBilevel.Crops heldOut = TotalVariationDenoisingBilevel.Crops.sample(
                        BundledImages.downsample(BundledImages.flower(), 4), count, SIDE, SIGMA, new Random(2 * seed));
                initialPsnr[k] = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, INITIAL_THETA, EXACT);
                TotalVariationDenoisingBilevel hp = new TotalVariationDenoisingBilevel(train, INITIAL_THETA);
                Hoag hoag = new Hoag(hp.problem(), new LbfgsSolver(10), Hoag.Schedule.GEOMETRIC, 1e-3);
                CostTrace hoagTrace = CostTrace.of(hoag, hp.problem(), 30, Long.MAX_VALUE, () -> hp.upperValueAtSolution(EXACT));
                long budget = hoag.cost();
                cost[k] = budget;
                hoagF[k] = hoagTrace.last().upperValue();
                hoagPsnr[k] = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, hoagTrace.last().hyperparameters(), EXACT);
                TotalVariationDenoisingBilevel mp = new TotalVariationDenoisingBilevel(train, INITIAL_THETA);
                Maid maid = new Maid(mp.problem(), new LbfgsSolver(10), Maid.Settings.defaults());
                CostTrace maidTrace = CostTrace.of(maid, mp.problem(), 10_000, budget, () -> mp.upperValueAtSolution(EXACT));
                CostTrace.Point maidAt = maidTrace.at(budget);
                maidF[k] = maidAt.upperValue();
                maidPsnr[k] = TotalVariationDenoisingBilevel.denoisedPsnr(heldOut, maidAt.hyperparameters(), EXACT);
                maidToHoag[k] = maidTrace.costToReach(hoagF[k]).orElse(-1);
                metrics.write(seed, 0, budget, hoagF[k], hoagPsnr[k]);
                metrics.write(seed, 1, maidAt.cost(), maidF[k], maidPsnr[k]);
                if (k == 0) {
                    curves.put("HOAG", new Plots.Curve(hoagTrace.costs(), hoagTrace.values()));
                    curves.put("MAID", new Plots.Curve(maidTrace.costs(), maidTrace.values()));
                }
                run.out().printf(Locale.ROOT, "seed %d: held-out PSNR θ₀ %.3f dB, HOAG %.3f dB, MAID %.3f dB at cost %d; F HOAG %.5f, MAID %.5f%n", seed,
                        initialPsnr[k], hoagPsnr[k], maidPsnr[k], budget, hoagF[k], maidF[k]);
            }
        }
        String figure = "upper-value-against-cost.png";
        Plots.curves(run.folder().resolve(figure), "Training upper-level value against cost (seed " + seeds[0] + ")", curves,
                Plots.Style.of("lower-level + CG iterations", "F(θ) at a tight solve").withLogY(true));
        Table table = new Table("", "held-out PSNR (dB)", "training F(θ)", "cost");
        table.row("θ₀ = (−5, −3)", Table.overSeeds(initialPsnr, 3), "—", "—");
        table.row("HOAG, ε₀ = 1e-3 geometric, 30 iterations", Table.overSeeds(hoagPsnr, 3), Table.overSeeds(hoagF, 5), Table.overSeeds(cost, 0));
        table.row("MAID, the authors' defaults, at HOAG's cost", Table.overSeeds(maidPsnr, 3), Table.overSeeds(maidF, 5), "as HOAG");
        table.row("MAID's cost to reach HOAG's final F (−1: not reached)", "", "", Table.overSeeds(maidToHoag, 0));
        boolean better = true;
        boolean lower = true;
        boolean learns = true;
        for (int k = 0; k < n; k++) {
            better &= maidPsnr[k] >= hoagPsnr[k];
            lower &= maidF[k] <= hoagF[k];
            learns &= maidPsnr[k] > initialPsnr[k] + 1;
        }
        List<Check> checks = List.of(
                new Check("The learned θ denoise held-out images better than θ₀", String.format(Locale.ROOT, "%.3f dB vs %.3f dB (means)",
                        mean(maidPsnr), mean(initialPsnr)), learns),
                new Check("At equal cost MAID reaches a lower upper-level value than HOAG", String.format(Locale.ROOT, "%.5f vs %.5f (means), %s",
                        mean(maidF), mean(hoagF), lower ? "in every seed" : "not in every seed"), lower),
                new Check("and denoises held-out images at least as well", String.format(Locale.ROOT, "%.3f dB vs %.3f dB (means), %s",
                        mean(maidPsnr), mean(hoagPsnr), better ? "in every seed" : "not in every seed"), better));
        String claim = """
                MAID, which adapts the accuracy of the lower-level solves and of the hypergradient's linear solve and takes
                inexact backtracking line-search steps, reaches lower upper-level values than HOAG and other fixed-schedule methods
                at equal computational cost, on learning the regularisation of total-variation denoising among other problems.""";
        String setup = """
                Lower level `g(x, θ) = ½‖x − y‖² + e^{θ₁} Σ_p sqrt(|(Dx)_p|² + e^{2θ₂})`, upper level `½‖x*(θ) − x̄‖²` over the training
                crops; %d training crops of 24 × 24 pixels of the bundled "china" photograph downsampled 4× and %d held-out crops of
                "flower", positions and noise (σ = 0.1) drawn by the seed; θ₀ = (−5, −3). Both methods use L-BFGS (memory 10); cost =
                lower-level plus CG iterations; HOAG runs 30 iterations from ε₀ = 1e-3 and MAID (the authors' defaults) gets the same
                cost. F and PSNR are read at lower-level solves to `‖∇g‖ ≤ 1e-8`, not counted.""".formatted(count, count);
        String differences = """
                The paper denoises larger images (and also learns other regularisers); here a few 24 × 24 crops so that a seed
                takes seconds. The comparison with HOAG is the one the MAID paper makes; its other baselines are not run.""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
