package org.hypergrad4j.repro.lorraine2018;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;
import org.hypergrad4j.repro.hypernets.ExactPerWeightHypergradient;
import org.hypergrad4j.repro.hypernets.HypernetDigitsRuns;
import org.hypergrad4j.repro.hypernets.LocalHypernetDiagnosis;
import org.hypergrad4j.repro.hypernets.SoftmaxRegressionFit;

/**
 * Lorraine and Duvenaud (2018), local (joint) hypernetwork over per-weight decay, with the measurement of why it does
 * not reach the best global decay here: along the run, the hypernetwork's hypergradient {@code dL_V(w_φ(λ̂))/dλ̂} is
 * compared with the exact implicit one at the same λ̂ ({@link ExactPerWeightHypergradient}), and per-weight decay
 * tuned with the exact hypergradient shows what per-weight decay can do on the same split.
 *
 * <p>Each seed draws its own digits split ({@code 20 + seed}: seed 1 is the split of {@code hypernet-global}) and the
 * hypernetwork's initialisation, minibatches and draws; every method starts from that split's best grid decay.
 */
public final class LocalHypernetwork implements Reproduction {
    private static final HyperparameterRange RANGE = new HyperparameterRange(-10, -4);
    private static final double SIGMA = 0.5;
    private static final double HYPERNET_RATE = 3e-4;
    private static final double LAMBDA_RATE = 0.01;
    private static final int BATCH = 100;
    /** The hypernetwork's hypergradient "points along" the exact one when their cosine is at least this. */
    private static final double ALIGNED = 0.5;

    @Override
    public String name() {
        return "hypernet-local";
    }

    @Override
    public String title() {
        return "Lorraine and Duvenaud (2018): a local hypernetwork over 640 per-weight decays, its hypergradient against the exact one";
    }

    /**
     * @param gridPoints the global-decay grid's points over [−10, −4] (13: steps of 0.5)
     * @param sweepSteps φ-only steps of each variant of the first seed's sweep over the φ rate and σ (0: no sweep)
     */
    private record Sizes(int warmup, int joint, int probeEvery, int exactSteps, int sweepSteps, int gridPoints) {
    }

    private static Sizes sizes(Scale scale) {
        return switch (scale) {
            case SMOKE -> new Sizes(40, 40, 40, 5, 0, 7);
            case REDUCED -> new Sizes(600, 400, 50, 40, 1000, 13);
            case FULL -> new Sizes(2000, 2000, 100, 100, 3000, 13);
        };
    }

    /** A variant of the warm-up (λ̂ fixed at λ̂₀): does more or differently-paced local fitting align the hypergradient? */
    private record Variant(String label, double hypernetRate, double sigma, boolean fullBatch, boolean zeroJacobian) {
    }

    private static final List<Variant> VARIANTS = List.of(new Variant("Adam 1e-4, σ 0.5", 1e-4, 0.5, false, false),
            new Variant("Adam 3e-4, σ 0.5", 3e-4, 0.5, false, false), new Variant("Adam 3e-3, σ 0.5", 3e-3, 0.5, false, false),
            new Variant("Adam 3e-4, σ 0.1", 3e-4, 0.1, false, false), new Variant("Adam 3e-4, σ 2", 3e-4, 2.0, false, false),
            new Variant("Adam 3e-4, σ 0.5, whole training set per step, λ-part of φ started at 0", 3e-4, 0.5, true, true));

    @Override
    public Report run(Run run) {
        Sizes z = sizes(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        double[] globalValidation = new double[n];
        double[] globalTest = new double[n];
        double[] hypernetValidation = new double[n];
        double[] hypernetTest = new double[n];
        double[] exactValidation = new double[n];
        double[] exactTest = new double[n];
        double[] jointCosine = new double[n];
        double[] jointRatio = new double[n];
        double[] warmupEndCosine = new double[n];
        double[] warmupEndGap = new double[n];
        double[] finalGap = new double[n];
        double[] finalSpread = new double[n];
        Map<String, Plots.Curve> cosineCurves = new LinkedHashMap<>();
        Map<String, Plots.Curve> lossCurves = new LinkedHashMap<>();
        Map<Variant, LocalHypernetDiagnosis.HypernetRun> sweep = Map.of();
        int exactPoints = 0;
        int exactConverged = 0;
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "method", "phase_step", "joint", "cosine", "norm_ratio", "fit_gap", "predicted_validation_loss",
                        "refit_validation_loss", "refit_test_loss", "lambda_spread", "exact_converged"))) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                Split parts = HypernetDigitsRuns.digits(20 + seed);
                List<HypernetDigitsRuns.GridPoint> grid = HypernetDigitsRuns.gridSearch(parts, RANGE.grid(z.gridPoints()), 1e-6, 5000);
                HypernetDigitsRuns.GridPoint best = HypernetDigitsRuns.best(grid);
                globalValidation[k] = best.validationLoss();
                SoftmaxRegressionFit.Fit bestFit = new SoftmaxRegressionFit(parts.train()).fitGlobal(best.lambda(), 1e-6, 5000);
                globalTest[k] = SoftmaxRegressionFit.crossEntropy(bestFit.weights(), parts.test());
                ExactPerWeightHypergradient exact = new ExactPerWeightHypergradient(parts.train(), parts.validation(), 1e-8, 5000, 1e-10);

                LocalHypernetDiagnosis.HypernetRun h = LocalHypernetDiagnosis.hypernet(parts, exact, RANGE, best.lambda(),
                        new LocalHypernetDiagnosis.HypernetSettings(z.warmup(), z.joint(), z.probeEvery(), HYPERNET_RATE, LAMBDA_RATE, SIGMA, BATCH, seed,
                                false));
                for (LocalHypernetDiagnosis.Probe p : h.probes()) {
                    metrics.write(seed, 0, p.phaseStep(), p.joint() ? 1 : 0, p.cosine(), p.normRatio(), p.fitGap(), p.predictedValidationLoss(),
                            p.refitValidationLoss(), p.refitTestLoss(), p.lambdaSpread(), p.exactConverged() ? 1 : 0);
                    exactPoints++;
                    exactConverged += p.exactConverged() ? 1 : 0;
                }
                List<LocalHypernetDiagnosis.Probe> joint = h.joint();
                LocalHypernetDiagnosis.Probe last = h.last();
                hypernetValidation[k] = last.refitValidationLoss();
                hypernetTest[k] = last.refitTestLoss();
                jointCosine[k] = joint.stream().mapToDouble(LocalHypernetDiagnosis.Probe::cosine).average().orElse(Double.NaN);
                jointRatio[k] = joint.stream().mapToDouble(LocalHypernetDiagnosis.Probe::normRatio).average().orElse(Double.NaN);
                warmupEndCosine[k] = joint.get(0).cosine();
                warmupEndGap[k] = joint.get(0).fitGap();
                finalGap[k] = last.fitGap();
                finalSpread[k] = last.lambdaSpread();

                double[][] e = LocalHypernetDiagnosis.exactPerWeight(parts, exact, best.lambda(), z.exactSteps(), LAMBDA_RATE);
                for (int t = 0; t < e[0].length; t++) {
                    metrics.write(seed, 1, t, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, e[0][t], e[1][t], Double.NaN, e[2][t]);
                    exactPoints++;
                    exactConverged += (int) e[2][t];
                }
                exactValidation[k] = e[0][e[0].length - 1];
                exactTest[k] = e[1][e[1].length - 1];

                // Figures: cosine against the step counted from the warm-up's start; validation loss against λ̂ updates.
                cosineCurves.put("seed " + seed, new Plots.Curve(h.probes().stream().mapToDouble(p -> p.phaseStep() + (p.joint() ? z.warmup() : 0)).toArray(),
                        h.probes().stream().mapToDouble(LocalHypernetDiagnosis.Probe::cosine).toArray()));
                if (k == 0) {
                    lossCurves.put("local hypernetwork, λ̂ refitted (seed " + seed + ")", new Plots.Curve(
                            joint.stream().mapToDouble(LocalHypernetDiagnosis.Probe::phaseStep).toArray(),
                            joint.stream().mapToDouble(LocalHypernetDiagnosis.Probe::refitValidationLoss).toArray()));
                    double[] steps = new double[e[0].length];
                    Arrays.setAll(steps, t -> t);
                    lossCurves.put("per-weight decay by exact IFT", new Plots.Curve(steps, e[0]));
                    lossCurves.put(String.format(Locale.ROOT, "best global decay (grid, λ = %.1f)", best.lambda()),
                            new Plots.Curve(new double[] {0, z.joint()}, new double[] {best.validationLoss(), best.validationLoss()}));
                }
                if (k == 0 && z.sweepSteps() > 0) {
                    sweep = sweep(run, parts, exact, best.lambda(), z, seed, metrics);
                }
                run.out().printf(Locale.ROOT, "seed %d: best global λ %.1f, validation loss %.5f; local hypernetwork %.5f (mean cosine %.3f, norm"
                                + " ratio %.2f, fit gap %.3f); exact IFT per-weight %.5f; %.0f s%n", seed, best.lambda(), best.validationLoss(),
                        hypernetValidation[k], jointCosine[k], jointRatio[k], finalGap[k], exactValidation[k], h.seconds());
            }
        }
        cosineCurves.put("aligned (cosine " + ALIGNED + ")", new Plots.Curve(new double[] {0, z.warmup() + z.joint()}, new double[] {ALIGNED, ALIGNED}));
        String cosineFigure = "cosine-hypernetwork-vs-exact-hypergradient.png";
        Plots.curves(run.folder().resolve(cosineFigure), "Hypernetwork against exact hypergradient at the current λ̂",
                cosineCurves, Plots.Style.of("hypernetwork step (φ-only warm-up, joint from step " + z.warmup() + ")", "cosine"));
        String lossFigure = "validation-loss-against-hyper-step.png";
        Plots.curves(run.folder().resolve(lossFigure), "Validation loss against λ updates, seed " + seeds[0], lossCurves,
                Plots.Style.of("λ updates", "validation cross-entropy of the classifier refitted at λ"));

        Table table = new Table("", "validation loss (classifier trained to convergence at the final λ)", "test loss",
                "cos(hypernetwork, exact) over the joint steps", "‖hypernetwork‖/‖exact‖");
        table.row("best global decay (" + z.gridPoints() + "-point grid)", Table.overSeeds(globalValidation, 4), Table.overSeeds(globalTest, 4), "", "");
        table.row("per-weight decay, exact IFT (" + z.exactSteps() + " λ steps)", Table.overSeeds(exactValidation, 4), Table.overSeeds(exactTest, 4), "1", "1");
        table.row("per-weight decay, local hypernetwork (" + z.joint() + " λ̂ steps)", Table.overSeeds(hypernetValidation, 4),
                Table.overSeeds(hypernetTest, 4), Table.overSeeds(jointCosine, 3), Table.overSeeds(jointRatio, 2));

        boolean exactBeats = true;
        boolean hypernetBeats = true;
        for (int k = 0; k < n; k++) {
            exactBeats &= exactValidation[k] <= globalValidation[k];
            hypernetBeats &= hypernetValidation[k] <= globalValidation[k];
        }
        double meanCos = mean(jointCosine);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("Per-weight decay reaches a validation loss at or below the best global decay (here tuned by the exact hypergradient)",
                String.format(Locale.ROOT, "%.4f against %.4f on average (%s)", mean(exactValidation), mean(globalValidation),
                        exactBeats ? "lower in every seed" : "not lower in every seed"), exactBeats));
        checks.add(new Check("The local hypernetwork tunes per-weight decay to a validation loss at or below the best global decay",
                String.format(Locale.ROOT, "%.4f against %.4f on average (%s)", mean(hypernetValidation), mean(globalValidation),
                        hypernetBeats ? "at or below in every seed" : "above in at least one seed"), hypernetBeats));
        checks.add(new Check("The local hypernetwork's hypergradient points along the true one (what its λ̂ steps rely on)",
                String.format(Locale.ROOT, "mean cosine with the exact IFT hypergradient %.3f over the joint steps (aligned: ≥ %.1f)", meanCos, ALIGNED),
                meanCos >= ALIGNED));

        String claim = """
                A local hypernetwork, trained only on hyperparameters sampled near the current ones (λ ~ N(λ̂, σ²)) and alternated
                with gradient steps on λ̂ through it, tunes thousands of hyperparameters — e.g. one weight decay per weight of a
                linear model — and reaches a validation loss at or below that of the best single global decay.""";
        String setup = String.format(Locale.ROOT, """
                Bundled digits, stratified 50/25/25 with split seed 20 + seed (898 training, 449 validation, 450 test images),
                standardised; softmax regression 64 → 10 with decay `Σ_j exp(λ_j) W_j²`, one λ_j per weight (640; biases not
                decayed). Best global decay: %d-point grid over λ ∈ [−10, −4], each classifier trained to convergence (L-BFGS,
                float64, `‖∇L_T‖ ≤ 1e-6`). Local hypernetwork: linear with the magnitude-invariant parametrisation (range
                [−10, −4]), λ̂₀ = the split's best global λ in every component; %d φ-only warm-up steps at λ ~ N(λ̂₀, %.1f²), then
                %d joint steps (one φ step at 2 draws λ ~ N(λ̂, %.1f²) per minibatch of %d, one λ̂ step on the whole validation
                set); Adam %.0e on φ, %.2f on λ̂; float32. Probes every %d steps: the hypernetwork's hypergradient
                `dL_V(w_φ(λ̂))/dλ̂` against the exact IFT hypergradient `−(∂²L_T/∂w∂λ)ᵀ H⁻¹ ∇_w L_V` at the classifier trained
                to convergence at the same λ̂ (float64, `‖∇L_T‖ ≤ 1e-8`, CG on exact Hessian-vector products to relative
                residual 1e-10); the fit gap `L_T(w_φ(λ̂), λ̂) − L_T(w*(λ̂), λ̂)` on the whole training set; and the validation
                loss of `w*(λ̂)`. Exact IFT per-weight: the same start, %d Adam steps at %.2f on the exact hypergradient. The
                seed draws the split and the hypernetwork's initialisation, minibatches and draws.""",
                z.gridPoints(), z.warmup(), SIGMA, z.joint(), SIGMA, BATCH, HYPERNET_RATE, LAMBDA_RATE, z.probeEvery(), z.exactSteps(), LAMBDA_RATE);
        String differences = """
                The authors use MNIST, a 784 → 10 linear model and Adam at 1e-4 for φ and λ over far more steps; here digits and
                larger rates so that a seed takes about a minute. The hypernetwork has the magnitude-invariant parametrisation
                (Ortiz et al. 2024; without it the predicted weights start far too large, see `mip-hypernet`). Every method starts
                from the best global decay, so a result above that validation loss means tuning made it worse. The exact IFT
                tuning is not in the paper: it is the reference that tells "per-weight decay cannot help here" from "the
                hypernetwork's hypergradient is wrong". The validation loss is also the tuning objective, so per-weight decay
                can overfit the validation set; the test loss is shown beside it.""";
        List<String> figures = new ArrayList<>(List.of(cosineFigure, lossFigure));
        String notes = notes(warmupEndCosine, warmupEndGap, finalGap, finalSpread, jointRatio)
                + conclusion(exactBeats, hypernetBeats, meanCos, mean(exactValidation), mean(globalValidation), mean(hypernetValidation))
                + String.format(Locale.ROOT, "%n%nThe exact reference converged (refit `‖∇L_T‖ ≤ 1e-8`, CG relative residual ≤ 1e-10) at %d of its %d"
                        + " points along the hypernetwork's runs and the exact tuning.", exactConverged, exactPoints);
        if (!sweep.isEmpty()) {
            String sweepFigure = "cosine-against-local-fitting-steps.png";
            Map<String, Plots.Curve> c = new LinkedHashMap<>();
            sweep.forEach((v, r) -> c.put(v.label(), new Plots.Curve(r.probes().stream().mapToDouble(LocalHypernetDiagnosis.Probe::phaseStep).toArray(),
                    r.probes().stream().mapToDouble(LocalHypernetDiagnosis.Probe::cosine).toArray())));
            Plots.curves(run.folder().resolve(sweepFigure), "Seed " + seeds[0] + ", λ̂ fixed at λ̂₀: cosine against φ-only local fitting steps", c,
                    Plots.Style.of("φ steps at λ ~ N(λ̂₀, σ²)", "cos(hypernetwork, exact)"));
            figures.add(sweepFigure);
            notes += sweepNotes(sweep, seeds[0], z.sweepSteps());
        }
        if (run.scale() == Scale.SMOKE) {
            // 100 joint steps cannot tune anything: the hypernetwork's checks need the reduced run's steps.
            checks = checks.subList(0, 1);
            notes += "\n\nAt the smoke scale only the first check applies: the local hypernetwork's checks need the reduced scale's steps.";
        }
        return new Report(name(), title(), claim, setup, differences, table, checks, notes, figures, run.scale(),
                run.seed(), run.seeds(), run.command());
    }

    private static Map<Variant, LocalHypernetDiagnosis.HypernetRun> sweep(Run run, Split parts, ExactPerWeightHypergradient exact, double lambda0,
                                                                        Sizes z, long seed, MetricsWriter metrics) {
        Map<Variant, LocalHypernetDiagnosis.HypernetRun> out = new LinkedHashMap<>();
        for (int v = 0; v < VARIANTS.size(); v++) {
            Variant variant = VARIANTS.get(v);
            LocalHypernetDiagnosis.HypernetRun r = LocalHypernetDiagnosis.hypernet(parts, exact, RANGE, lambda0,
                    new LocalHypernetDiagnosis.HypernetSettings(z.sweepSteps(), 0, z.sweepSteps() / 4, variant.hypernetRate(), LAMBDA_RATE,
                            variant.sigma(), variant.fullBatch() ? parts.train().numExamples() : BATCH, seed, variant.zeroJacobian()));
            for (LocalHypernetDiagnosis.Probe p : r.probes()) {
                metrics.write(seed, 2 + v, p.phaseStep(), 0, p.cosine(), p.normRatio(), p.fitGap(), p.predictedValidationLoss(),
                        p.refitValidationLoss(), p.refitTestLoss(), p.lambdaSpread(), p.exactConverged() ? 1 : 0);
            }
            run.out().printf(Locale.ROOT, "seed %d, warm-up only, %s: cosine after %d steps %.3f, fit gap %.3f%n", seed, variant.label(),
                    z.sweepSteps(), r.last().cosine(), r.last().fitGap());
            out.put(variant, r);
        }
        return out;
    }

    private static String sweepNotes(Map<Variant, LocalHypernetDiagnosis.HypernetRun> sweep, long seed, int steps) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, """


                Seed %d, λ̂ held at λ̂₀ (φ-only local fitting, no λ̂ steps; `method` 2–%d in `metrics.csv`): cosine with the exact
                hypergradient and fit gap after each number of φ steps.

                | φ optimiser, σ |""", seed, 1 + sweep.size()));
        List<LocalHypernetDiagnosis.Probe> first = sweep.values().iterator().next().probes();
        first.forEach(p -> b.append(" cosine after ").append(p.phaseStep()).append(" |"));
        b.append(" fit gap after ").append(steps).append(" | ‖hypernetwork‖/‖exact‖ after ").append(steps).append(" |\n|---|");
        first.forEach(p -> b.append("---|"));
        b.append("---|---|\n");
        sweep.forEach((v, r) -> {
            b.append("| ").append(v.label()).append(" |");
            r.probes().forEach(p -> b.append(String.format(Locale.ROOT, " %.3f |", p.cosine())));
            b.append(String.format(Locale.ROOT, " %.3f | %.3f |\n", r.last().fitGap(), r.last().normRatio()));
        });
        b.append("""

                (NaN: with the λ-dependent output started at zero the hypernetwork's hypergradient is exactly zero before the
                first step.) Why, derived rather than measured (it agrees with the numbers above): the hypernetwork's hypergradient
                is `(∂w_φ/∂λ̂)ᵀ ∇_w L_V`; the exact one is `(∂w*/∂λ)ᵀ ∇_w L_V` with
                the best-response Jacobian `∂w*/∂λ = −H⁻¹ ∂²L_T/∂w∂λ`. The local objective fits the value `w_φ(λ̂)` (the last
                variant to a fit gap of about 0.001) but teaches the Jacobian only through the draws: for `w_φ(λ̂ + δ) ≈ w₀ + Jδ`
                its gradient in `J` is `σ² H (J − ∂w*/∂λ)` plus noise, so `J` moves towards the best response only along
                directions of large curvature, while `H⁻¹` weights the exact hypergradient towards the smallest curvatures
                (down to the decay's `2 exp(λ)`, about 1e-3 here). So the Jacobian keeps its initial error where it matters: from a
                random start the hypergradient's norm falls to a few times the exact one's (the large-curvature part is
                learned) but its direction stays unrelated; from a zero start it grows to a small fraction of the exact norm.""");
        return b.toString();
    }

    /** What the measurement says about the cause, from the measured numbers (a random direction in 640 dimensions has |cos| ≈ 1/√640). */
    private static String conclusion(boolean exactBeats, boolean hypernetBeats, double meanCos, double exact, double global, double hypernet) {
        double random = 1 / Math.sqrt(640);
        String cos = Math.abs(meanCos) < 2 * random
                ? String.format(Locale.ROOT, "no better than a random direction (a random direction in 640 dimensions has |cos| about 1/√640 ≈ %.2f)", random)
                : meanCos >= ALIGNED ? "aligned with it" : "only weakly aligned with it";
        return String.format(Locale.ROOT, """


                Cause, as measured: per-weight decay tuned with the exact hypergradient from the same start %s the best global
                decay (%.4f against %.4f); the local hypernetwork's hypergradient, at mean cosine %.3f with the exact one, is %s,
                and its λ̂ %s (%.4f).""", exactBeats ? "goes below" : "does not go below", exact, global, meanCos, cos,
                hypernetBeats ? "also goes below it" : "does not improve on the start", hypernet);
    }

    private static String notes(double[] warmupEndCosine, double[] warmupEndGap, double[] finalGap, double[] finalSpread, double[] ratio) {
        return String.format(Locale.ROOT, """
                ## Diagnosis

                At the end of the warm-up (λ̂ still at λ̂₀) the hypernetwork's hypergradient has cosine %s with the exact one while
                the fit gap is %s; at the end of the joint steps the fit gap is %s and the components of λ̂ have spread to a
                standard deviation of %s. Its norm is %s times the exact one's on average over the joint steps.""",
                Table.overSeeds(warmupEndCosine, 3), Table.overSeeds(warmupEndGap, 3), Table.overSeeds(finalGap, 3), Table.overSeeds(finalSpread, 2),
                Table.overSeeds(ratio, 2));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
