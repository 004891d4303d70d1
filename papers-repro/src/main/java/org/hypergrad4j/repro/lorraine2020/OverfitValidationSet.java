package org.hypergrad4j.repro.lorraine2020;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Table;
import org.hypergrad4j.solvers.IdentitySolve;

/**
 * Lorraine, Vicol, Duvenaud (AISTATS 2020), experiment (a): with one weight decay per weight, the hyperparameters
 * have the capacity to fit a small validation set: validation accuracy reaches 100% while test accuracy does not
 * follow. Here: 50 training and 50 validation digits (drawn by the seed), MLP 64-50-10 (tanh), per-weight decay from
 * λ = −4, identity inverse-Hessian approximation, 60 hyper-steps of 10 SGD steps.
 */
public final class OverfitValidationSet implements Reproduction {
    private static final int HYPER_STEPS = 60;
    private static final int INNER_STEPS = 10;

    @Override
    public String name() {
        return "ift-overfit-validation";
    }

    @Override
    public String title() {
        return "Lorraine et al. (2020), experiment (a): per-weight decay overfits a 50-example validation set";
    }

    @Override
    public Report run(Run run) {
        long[] seeds = run.seedList();
        double[] startValidation = new double[seeds.length];
        double[] endValidation = new double[seeds.length];
        double[] startTest = new double[seeds.length];
        double[] endTest = new double[seeds.length];
        double[][] validationCurve = new double[HYPER_STEPS][seeds.length];
        double[][] testCurve = new double[HYPER_STEPS][seeds.length];
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "hyper_step", "train_accuracy", "validation_accuracy", "test_accuracy", "validation_loss"))) {
            for (int k = 0; k < seeds.length; k++) {
                long seed = seeds[k];
                Split parts = Splits.standardised(BundledDatasets.digits(), 50.0 / 1797, 50.0 / 1797, 0.5, seed);
                int index = k;
                Hpo hpo = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                        .model(new Mlp(64, new int[] {50}, 10, Mlp.Activation.TANH, seed))
                        .tune(WeightDecay.perWeight(-4))
                        .method(new ImplicitHypergradient(new IdentitySolve(0.1)))
                        .innerOptimizer(new Sgd(0.1, 0.9, false)).outerOptimizer(new Adam(0.1))
                        .hyperSteps(HYPER_STEPS).innerSteps(INNER_STEPS).seed(seed)
                        .listener(new TrainingListener<JointTrainer.HyperStep>() {
                            @Override
                            public void onEvaluation(EvaluationEvent e) {
                                int h = (int) e.unit() - 1;
                                validationCurve[h][index] = e.validation().accuracy();
                                testCurve[h][index] = e.test().accuracy();
                                metrics.write(seed, e.unit(), e.train().accuracy(), e.validation().accuracy(), e.test().accuracy(),
                                        e.validation().loss());
                            }
                        });
                Hpo.Result result = hpo.run();
                if (result.summary().status() != TrainingSummary.Status.COMPLETED) {
                    throw new IllegalStateException("seed " + seed + ": " + result.summary().message());
                }
                startValidation[k] = validationCurve[0][k];
                startTest[k] = testCurve[0][k];
                endValidation[k] = result.validation().accuracy();
                endTest[k] = result.test().accuracy();
                run.out().printf(Locale.ROOT, "seed %d: validation accuracy %.1f%% → %.1f%%, test accuracy %.1f%% → %.1f%%%n", seed,
                        100 * startValidation[k], 100 * endValidation[k], 100 * startTest[k], 100 * endTest[k]);
            }
        }
        double[] x = new double[HYPER_STEPS];
        double[] v = new double[HYPER_STEPS];
        double[] t = new double[HYPER_STEPS];
        for (int h = 0; h < HYPER_STEPS; h++) {
            x[h] = h + 1;
            v[h] = mean(validationCurve[h]);
            t[h] = mean(testCurve[h]);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("validation accuracy (50 examples)", v);
        series.put("test accuracy (898 examples)", t);
        String figure = "accuracy-against-hyper-step.png";
        Plots.trajectories(run.folder().resolve(figure), "Per-weight decay: validation and test accuracy (mean over seeds)", x, series,
                Plots.Style.of("hyper-step", "accuracy"));

        Table table = new Table("", "after hyper-step 1", "after hyper-step " + HYPER_STEPS);
        table.row("validation accuracy", Table.overSeeds(startValidation, 4), Table.overSeeds(endValidation, 4));
        table.row("test accuracy", Table.overSeeds(startTest, 4), Table.overSeeds(endTest, 4));
        double minEndValidation = java.util.Arrays.stream(endValidation).min().orElseThrow();
        double gap = mean(endValidation) - mean(endTest);
        List<Check> checks = List.of(
                new Check("Validation accuracy reaches 100%", String.format(Locale.ROOT, "lowest over seeds %.1f%%", 100 * minEndValidation),
                        minEndValidation == 1.0),
                new Check("Test accuracy stays well below validation accuracy",
                        String.format(Locale.ROOT, "mean gap %.1f points (test %.1f%%)", 100 * gap, 100 * mean(endTest)), gap >= 0.08));
        String claim = """
                With one weight decay per weight (Figure "overfitting a validation set"), 50 training and 50 validation examples,
                decays started at λ = −4, inner Adam at 1e-4 and the identity approximation of the inverse Hessian, validation
                accuracy reaches 100% while test accuracy stays well below: the hyperparameters have enough capacity to overfit
                the validation set.""";
        String setup = """
                Bundled digits, 50 training and 50 validation images drawn (stratified) by the seed, the rest half test (898
                images), standardised on the training part; MLP 64-50-10 (tanh), weights initialised by the seed; one decay
                `exp(λ_j)` per weight from λ = −4 (%,d hyperparameters); identity inverse-Hessian approximation (`q = 0.1·∂L_V/∂w`);
                %d hyper-steps of %d SGD steps (lr 0.1, momentum 0.9), Adam 0.1 on λ; evaluation after every hyper-step.""".formatted(
                64 * 50 + 50 * 10, HYPER_STEPS, INNER_STEPS);
        String differences = """
                The paper uses MNIST (28 × 28) and a larger network with inner Adam at 1e-4; here the 8 × 8 digits, a 50-unit MLP
                and inner SGD with momentum, so that a run takes seconds. The claim is qualitative and so is the check: 100%
                validation accuracy in every seed, and a gap of at least 8 points to the test accuracy.""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
