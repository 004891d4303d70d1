package org.hypergrad4j.repro.lorraine2018;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.repro.hypernets.HypernetDigitsRuns;
import org.hypergrad4j.repro.hypernets.SoftmaxRegressionFit;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypernets.hypernet.HypernetArchitecture;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Table;

/**
 * Lorraine and Duvenaud (2018): a global hypernetwork {@code w_φ(λ)} trained over {@code λ ~ U[−10, −4]} approximates
 * the best response well enough that minimising the predicted validation loss {@code L_V(w_φ(λ))} finds a decay as
 * good as a grid search that trains the classifier to convergence at every grid point. Digits, softmax regression,
 * one global decay; the hypernetwork seed varies, the split (seed 21) does not.
 */
public final class GlobalHypernetwork implements Reproduction {
    private static final HyperparameterRange RANGE = new HyperparameterRange(-10, -4);
    private static final double INITIAL_LAMBDA = -5;

    @Override
    public String name() {
        return "hypernet-global";
    }

    /** One seed's λ̂ can miss the grid's optimum by more than 0.5 (seed 1: 1.2% worse refitted loss); the claim holds on average over five. */
    @Override
    public int smokeSeeds() {
        return 5;
    }

    @Override
    public String title() {
        return "Lorraine and Duvenaud (2018): a global hypernetwork's tuned decay against a grid search";
    }

    @Override
    public Report run(Run run) {
        Split parts = HypernetDigitsRuns.digits(21);
        List<HypernetDigitsRuns.GridPoint> grid = HypernetDigitsRuns.gridSearch(parts, RANGE.grid(13), 1e-6, 5000);
        HypernetDigitsRuns.GridPoint best = HypernetDigitsRuns.best(grid);
        long[] seeds = run.seedList();
        double[] tuned = new double[seeds.length];
        double[] refit = new double[seeds.length];
        double[] predicted = new double[seeds.length];
        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        curves.put("grid: classifier trained to convergence", new Plots.Curve(grid.stream().mapToDouble(HypernetDigitsRuns.GridPoint::lambda).toArray(),
                grid.stream().mapToDouble(HypernetDigitsRuns.GridPoint::validationLoss).toArray()));
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "tuned_lambda", "predicted_validation_loss", "refit_validation_loss", "grid_best_lambda", "grid_best_validation_loss"))) {
            for (int k = 0; k < seeds.length; k++) {
                HypernetDigitsRuns.GlobalResult r = HypernetDigitsRuns.globalHypernet(parts,
                        HypernetArchitecture.mlp(Mlp.Activation.TANH, 32).withMagnitudeInvariance(), RANGE,
                        new HypernetDigitsRuns.Settings(800, 100, 1e-2, 0.05, 300, 2, seeds[k]), INITIAL_LAMBDA, 25, null);
                if (r.summary().status() != TrainingSummary.Status.COMPLETED) {
                    throw new IllegalStateException("seed " + seeds[k] + ": " + r.summary().message());
                }
                tuned[k] = r.tunedLambda();
                predicted[k] = r.tunedValidationLoss();
                SoftmaxRegressionFit.Fit fit = new SoftmaxRegressionFit(parts.train()).fitGlobal(tuned[k], 1e-6, 5000);
                refit[k] = SoftmaxRegressionFit.crossEntropy(fit.weights(), parts.validation());
                metrics.write(seeds[k], tuned[k], predicted[k], refit[k], best.lambda(), best.validationLoss());
                if (k == 0) {
                    curves.put("hypernetwork's prediction L_V(w_φ(λ)), seed " + seeds[k], new Plots.Curve(r.scanLambdas(), r.scanLosses()));
                }
                run.out().printf(Locale.ROOT, "seed %d: tuned λ̂ = %.3f, validation loss of the classifier refitted there %.5f (grid best %.5f at %.1f)%n",
                        seeds[k], tuned[k], refit[k], best.validationLoss(), best.lambda());
            }
        }
        String figure = "validation-loss-against-log-decay.png";
        Plots.curves(run.folder().resolve(figure), "Validation loss against log decay: grid and hypernetwork", curves,
                Plots.Style.of("log decay λ", "validation cross-entropy"));
        double meanRefit = mean(refit);
        double meanTuned = mean(tuned);
        double worst = Arrays.stream(refit).max().orElseThrow();
        Table table = new Table("", "log decay λ", "validation loss (classifier trained to convergence)");
        table.row("grid search, 13 points, best", String.format(Locale.ROOT, "%.2f", best.lambda()), String.format(Locale.ROOT, "%.5f", best.validationLoss()));
        table.row("global hypernetwork, tuned λ̂", Table.overSeeds(tuned, 3), Table.overSeeds(refit, 5));
        List<Check> checks = List.of(
                new Check("The hypernetwork's λ̂ is as good as the grid's best", String.format(Locale.ROOT,
                        "refitted validation loss %.5f on average, %.2f%% above the grid's best", meanRefit, 100 * (meanRefit / best.validationLoss() - 1)),
                        meanRefit <= 1.01 * best.validationLoss() && worst <= 1.02 * best.validationLoss()),
                new Check("It lands near the grid's optimum", String.format(Locale.ROOT, "mean λ̂ %.3f vs grid %.2f", meanTuned, best.lambda()),
                        Math.abs(meanTuned - best.lambda()) <= 0.5));
        String claim = """
                A hypernetwork trained to output the weights for any hyperparameter in a range approximates the best-response
                function; tuning the hyperparameter by gradient descent on the validation loss of its output finds values as good
                as those of a search that trains a model to convergence at each trial, at the cost of training one network.""";
        String setup = """
                Bundled digits, stratified 50/25/25 (seed 21; 898 training, 449 validation images), standardised; softmax
                regression 64 → 10 with decay `exp(λ) Σ W²`. Grid: 13 values λ = −10, −9.5, …, −4, each classifier trained to
                convergence (L-BFGS, float64, `‖∇L_T‖ ≤ 1e-6`). Hypernetwork: MLP with 32 tanh units and the magnitude-invariant
                parametrisation, trained on λ ~ U[−10, −4] with 2 draws per minibatch of 300, 800 Adam steps at 1e-2; then λ̂ from −5
                by 100 Adam steps at 0.05 on `L_V(w_φ(λ̂))`; the classifier is refitted to convergence at λ̂. The seed draws the
                hypernetwork's initialisation, minibatches and λ draws.""";
        String differences = """
                The authors use MNIST and Adam at 1e-4 for both φ and λ over many more steps; here the learning rates are larger so
                that a seed takes seconds. Their hypernetwork has no magnitude-invariant parametrisation (a later paper's); it is
                used here because without it the predicted weights start far too large (see `mip-hypernet`).""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
