package org.hypergrad4j.repro.lorraine2020;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;

/**
 * Lorraine, Vicol, Duvenaud (AISTATS 2020), experiment (d): how much of a fixed pool of labelled data to hold out for
 * validation, for one global weight decay against one decay per weight. Half of the digits (drawn by the seed) is the
 * pool, the other half the test set, the same for every share; a share {@code f} of the pool validates, the rest
 * trains; both kinds of decay are tuned jointly with the weights from λ = −4 and the test accuracy read at the end.
 */
public final class ValidationFraction implements Reproduction {
    private static final int HYPER_STEPS = 40;
    private static final int INNER_STEPS = 50;

    @Override
    public String name() {
        return "ift-validation-fraction";
    }

    @Override
    public String title() {
        return "Lorraine et al. (2020), experiment (d): the best validation share for global against per-weight decay";
    }

    private static double[] shares(Scale scale) {
        return scale == Scale.SMOKE ? new double[] {0.1, 0.3, 0.5} : new double[] {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    }

    @Override
    public Report run(Run run) {
        double[] shares = shares(run.scale());
        long[] seeds = run.seedList();
        double[][] global = new double[shares.length][seeds.length];
        double[][] perWeight = new double[shares.length][seeds.length];
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "validation_share", "per_weight", "test_accuracy", "test_loss", "validation_loss"))) {
            for (int k = 0; k < seeds.length; k++) {
                for (int f = 0; f < shares.length; f++) {
                    // Cumulative fractions: the test half is the last half of each class's permutation whatever the share.
                    Split parts = Splits.standardised(BundledDatasets.digits(), 0.5 * (1 - shares[f]), 0.5 * shares[f], 0.5, seeds[k]);
                    for (int kind = 0; kind < 2; kind++) {
                        Hpo.Result r = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                                .tune(kind == 0 ? WeightDecay.global(-4) : WeightDecay.perWeight(-4))
                                .hyperSteps(HYPER_STEPS).innerSteps(INNER_STEPS).seed(seeds[k]).run();
                        if (r.summary().status() != TrainingSummary.Status.COMPLETED) {
                            throw new IllegalStateException("seed " + seeds[k] + ", share " + shares[f] + ": " + r.summary().message());
                        }
                        (kind == 0 ? global : perWeight)[f][k] = r.test().accuracy();
                        metrics.write(seeds[k], shares[f], kind, r.test().accuracy(), r.test().loss(), r.validation().loss());
                    }
                    run.out().printf(Locale.ROOT, "seed %d, validation share %.2f: test accuracy global decay %.2f%%, per-weight %.2f%%%n",
                            seeds[k], shares[f], 100 * global[f][k], 100 * perWeight[f][k]);
                }
            }
        }
        double[] globalMean = Arrays.stream(global).mapToDouble(ValidationFraction::mean).toArray();
        double[] perWeightMean = Arrays.stream(perWeight).mapToDouble(ValidationFraction::mean).toArray();
        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        curves.put("one global decay", new Plots.Curve(shares, globalMean));
        curves.put("one decay per weight (640)", new Plots.Curve(shares, perWeightMean));
        String figure = "test-accuracy-against-validation-share.png";
        Plots.curves(run.folder().resolve(figure), "Test accuracy against the share of the pool held out for validation", curves,
                Plots.Style.of("validation share of the pool", "test accuracy (mean over seeds)"));

        Table table = new Table("validation share", "validation / training images", "global decay: test accuracy", "per-weight decay: test accuracy");
        for (int f = 0; f < shares.length; f++) {
            int validation = (int) Math.round(0.5 * shares[f] * 1797);
            table.row(String.format(Locale.ROOT, "%.2f", shares[f]), validation + " / " + (int) Math.round(0.5 * 1797 - validation),
                    Table.overSeeds(global[f], 4), Table.overSeeds(perWeight[f], 4));
        }
        double bestGlobal = shares[argmax(globalMean)];
        double bestPerWeight = shares[argmax(perWeightMean)];
        List<Check> checks = List.of(
                new Check("Per-weight decay wants a larger validation share than one global decay",
                        String.format(Locale.ROOT, "best share: global %.2f, per-weight %.2f", bestGlobal, bestPerWeight), bestPerWeight > bestGlobal),
                new Check("One global decay does best with a small share (about 10%)",
                        String.format(Locale.ROOT, "best share %.2f", bestGlobal), bestGlobal <= 0.2),
                new Check("Per-weight decay does best with a quarter to a half held out",
                        String.format(Locale.ROOT, "best share %.2f", bestPerWeight), bestPerWeight >= 0.2 && bestPerWeight <= 0.5));
        String claim = """
                Holding out more data for validation leaves less for training: with one global decay the best test accuracy comes
                with about 10% of the data used for validation, while with one decay per weight, whose many hyperparameters can
                overfit a small validation set, it comes with 25–50% (Lorraine et al. 2020, Figure "validation proportion").""";
        String setup = """
                Bundled digits; half of every class (drawn by the seed) is the test set, the same for every share; the other half
                (about 899 images) is the pool, of which a share is the validation set and the rest trains, standardised on the
                training part. Softmax regression 64 → 10 with one global decay `exp(λ)` or one per weight (640), from λ = −4;
                %d hyper-steps of %d SGD steps (lr 0.1, momentum 0.9), Adam 0.05 on λ, implicit hypergradient with warm-started
                CG (20). Shares: %s.""".formatted(HYPER_STEPS, INNER_STEPS, Arrays.toString(shares));
        String differences = """
                The paper's experiment uses larger image data and networks; here softmax regression on the 8 × 8 digits, where a
                per-weight decay has 640 hyperparameters for a pool of about 900 images. The paper reads the optimum off a
                curve; here it is the share with the highest mean test accuracy on the grid of shares above.""";
        String notes = "";
        if (bestGlobal == shares[0]) {
            notes = String.format(Locale.ROOT, "The global decay's best share is the smallest one tried (%.2f): its optimum may lie lower still.",
                    shares[0]);
        }
        return new Report(name(), title(), claim, setup, differences, table, checks, notes, List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
