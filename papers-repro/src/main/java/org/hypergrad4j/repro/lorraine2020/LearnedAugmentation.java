package org.hypergrad4j.repro.lorraine2020;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.AugmentationNetwork;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;

/**
 * Lorraine, Vicol, Duvenaud (AISTATS 2020), experiment (c): a data-augmentation network whose every weight is a
 * hyperparameter, in front of the classifier on the training loss only, tuned with implicit hypergradients; against
 * the same training with a global decay alone.
 */
public final class LearnedAugmentation implements Reproduction {
    private static final int INNER_STEPS = 40;

    @Override
    public String name() {
        return "ift-augmentation";
    }

    @Override
    public String title() {
        return "Lorraine et al. (2020), experiment (c): a learned augmentation network with every weight a hyperparameter";
    }

    private static int hyperSteps(Scale scale) {
        return scale == Scale.SMOKE ? 15 : 30;
    }

    @Override
    public Report run(Run run) {
        int hyperSteps = hyperSteps(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        double[][] validationLoss = new double[2][n];
        double[][] testAccuracy = new double[2][n];
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "augmented", "validation_loss", "test_accuracy"))) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                Split parts = Splits.standardised(BundledDatasets.digits(), 100.0 / 1797, 300.0 / 1797, 0.5, seed + 16);
                for (int a = 0; a < 2; a++) {
                    Hpo hpo = Hpo.on(parts.train(), parts.validation()).test(parts.test()).tune(WeightDecay.global(-4));
                    if (a == 1) {
                        hpo.tune(new AugmentationNetwork(32, 1.0, seed + 2));
                    }
                    Hpo.Result r = hpo.innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.02))
                            .hyperSteps(hyperSteps).innerSteps(INNER_STEPS).seed(seed).run();
                    if (r.summary().status() != TrainingSummary.Status.COMPLETED) {
                        throw new IllegalStateException("seed " + seed + ": " + r.summary().message());
                    }
                    validationLoss[a][k] = r.validation().loss();
                    testAccuracy[a][k] = r.test().accuracy();
                    metrics.write(seed, a, validationLoss[a][k], testAccuracy[a][k]);
                }
                run.out().printf(Locale.ROOT, "seed %d: validation loss %.4f with the learned augmentation, %.4f without; test accuracy %.2f%% vs %.2f%%%n",
                        seed, validationLoss[1][k], validationLoss[0][k], 100 * testAccuracy[1][k], 100 * testAccuracy[0][k]);
            }
        }
        Table table = new Table("", "validation loss", "test accuracy");
        table.row("global decay alone", Table.overSeeds(validationLoss[0], 4), Table.overSeeds(testAccuracy[0], 4));
        table.row("global decay + learned augmentation network", Table.overSeeds(validationLoss[1], 4), Table.overSeeds(testAccuracy[1], 4));
        boolean lower = true;
        boolean better = true;
        for (int k = 0; k < n; k++) {
            lower &= validationLoss[1][k] < validationLoss[0][k];
            better &= testAccuracy[1][k] > testAccuracy[0][k];
        }
        List<Check> checks = List.of(
                new Check("The learned augmentation lowers the validation loss", String.format(Locale.ROOT, "%.4f vs %.4f (means), in %s seed",
                        mean(validationLoss[1]), mean(validationLoss[0]), lower ? "every" : "not every"), lower),
                new Check("and improves test accuracy", String.format(Locale.ROOT, "%.2f%% vs %.2f%% (means), in %s seed", 100 * mean(testAccuracy[1]),
                        100 * mean(testAccuracy[0]), better ? "every" : "not every"), better));
        String claim = """
                A data-augmentation network (a small U-Net in the paper) placed in front of the classifier on the training loss,
                with every one of its weights a hyperparameter tuned by implicit differentiation on validation data, lowers the
                validation loss and improves test accuracy over training without it (Lorraine et al. 2020, Table "learned data
                augmentation").""";
        String setup = """
                Bundled digits: 100 training and 300 validation images, half the set for test, drawn by the seed and standardised;
                softmax regression 64 → 10 with a global decay from λ = −4; augmentation `x + tanh(xA₁ + c₁)A₂` with 32 hidden units,
                every weight a hyperparameter (%,d); %d hyper-steps of %d SGD steps (lr 0.3, momentum 0.9), Adam 0.02 on the
                hyperparameters, implicit hypergradient with warm-started CG (20). The baseline tunes the global decay alone the
                same way.""".formatted(2 * 64 * 32 + 32, hyperSteps, INNER_STEPS);
        String differences = """
                The paper uses a U-Net on CIFAR-10 with ResNet classifiers; here a residual MLP augmentation on the 8 × 8 digits
                with a linear classifier.""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
