package org.hypergrad4j.repro.maclaurin2015;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.MinibatchSchedule;
import org.hypergrad4j.data.SeedStream;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypergrad.ReverseUnrolledHypergradient;
import org.hypergrad4j.hypergrad.SgdSchedule;
import org.hypergrad4j.hypergrad.StepFeeds;
import org.hypergrad4j.hypergrad.UnrolledHypergradient;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Maclaurin, Duvenaud, Adams (ICML 2015): a learning rate per layer and per training step, meta-learned by reverse-mode
 * differentiation through the whole training run. Here: digits, MLP 64-50-50-50-10 (tanh), {@code T} steps of SGD with
 * momentum 0.9 on fixed minibatches of 100 from a fixed initialisation; {@code η_{t,k} = exp(ρ_{t,k})} for every step
 * {@code t} and weight tensor {@code k} (4 weight matrices and 4 bias vectors), started at the best constant rate of a
 * grid, and updated by Adam on {@code ρ} with the exact hypergradient of the validation loss after step {@code T}.
 */
public final class LearningRateSchedules implements Reproduction {
    private static final double[] GRID = {0.01, 0.03, 0.1, 0.3, 1.0};
    private static final double MOMENTUM = 0.9;
    private static final int BATCH = 100;

    @Override
    public String name() {
        return "maclaurin-lr-schedules";
    }

    @Override
    public String title() {
        return "Maclaurin et al. (2015): per-layer learning-rate schedules learned by reverse-mode differentiation through training";
    }

    private static int steps(Scale scale) {
        return scale == Scale.SMOKE ? 30 : 100;
    }

    private static int metaIterations(Scale scale) {
        return scale == Scale.SMOKE ? 15 : 60;
    }

    @Override
    public Report run(Run run) {
        int steps = steps(run.scale());
        int meta = metaIterations(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        double[] bestConstant = new double[n];
        double[] constantValidation = new double[n];
        double[] learnedValidation = new double[n];
        double[] constantTest = new double[n];
        double[] learnedTest = new double[n];
        double[] layerSpread = new double[n];
        double[] endOverMiddle = new double[n];
        Map<String, double[]> figureSchedules = new LinkedHashMap<>();
        double[] metaCurve = new double[meta + 1];
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "meta_iteration", "validation_loss"))) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                Split parts = Splits.standardised(BundledDatasets.digits(), 0.5, 0.25, 0.25, seed);
                BilevelProblem p = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                        .model(new Mlp(64, new int[] {50, 50, 50}, 10, Mlp.Activation.TANH, seed)).tune(WeightDecay.global(-12))
                        .dataType(DataType.DOUBLE).seed(seed).build();
                ParamVector w0 = p.weights().dup();
                int rows = parts.train().numExamples();
                StepFeeds feeds = t -> p.trainingFeed(MinibatchSchedule.rows(rows, BATCH, seed, SeedStream.TRAINING_BATCHES, t));
                // The best constant rate of the grid, by validation loss after T steps.
                double bestLoss = Double.POSITIVE_INFINITY;
                for (double eta : GRID) {
                    double loss = train(p, w0, feeds, SgdSchedule.constant(steps, eta, MOMENTUM)).result().validationLoss();
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        bestConstant[k] = eta;
                    }
                }
                train(p, w0, feeds, SgdSchedule.constant(steps, bestConstant[k], MOMENTUM));
                constantValidation[k] = p.evaluate(BilevelProblem.Part.VALIDATION).loss();
                constantTest[k] = p.evaluate(BilevelProblem.Part.TEST).loss();

                Map<String, double[]> rho = new LinkedHashMap<>();
                for (String tensor : w0.names()) {
                    double[] r = new double[steps];
                    Arrays.fill(r, Math.log(bestConstant[k]));
                    rho.put(tensor, r);
                }
                AdamOnArrays adam = new AdamOnArrays(0.05);
                for (int it = 0; it <= meta; it++) {
                    UnrolledHypergradient u = train(p, w0, feeds, SgdSchedule.perTensor(exp(rho), MOMENTUM));
                    double loss = u.result().validationLoss();
                    metrics.write(seed, it, loss);
                    if (k == 0) {
                        metaCurve[it] = loss;
                    }
                    if (it == meta) {
                        break;
                    }
                    for (Map.Entry<String, double[]> e : u.tensorLearningRateGradient().entrySet()) {
                        double[] r = rho.get(e.getKey());
                        double[] g = new double[steps];
                        for (int t = 0; t < steps; t++) {
                            g[t] = Math.exp(r[t]) * e.getValue()[t];
                        }
                        adam.step(e.getKey(), r, g);
                    }
                }
                train(p, w0, feeds, SgdSchedule.perTensor(exp(rho), MOMENTUM));
                learnedValidation[k] = p.evaluate(BilevelProblem.Part.VALIDATION).loss();
                learnedTest[k] = p.evaluate(BilevelProblem.Part.TEST).loss();
                Map<String, double[]> eta = exp(rho);
                double[] layerMeans = eta.values().stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray();
                layerSpread[k] = Arrays.stream(layerMeans).max().orElseThrow() / Arrays.stream(layerMeans).min().orElseThrow();
                endOverMiddle[k] = meanOver(eta, (int) (0.9 * steps), steps) / meanOver(eta, (int) (0.3 * steps), (int) (0.7 * steps));
                if (k == 0) {
                    eta.forEach((tensor, r) -> {
                        if (!tensor.startsWith("b")) {
                            figureSchedules.put("η of " + tensor, r);
                        }
                    });
                }
                run.out().printf(Locale.ROOT, "seed %d: best constant η %.2f, validation loss %.4f; learned schedules %.4f (test %.4f → %.4f)%n", seed,
                        bestConstant[k], constantValidation[k], learnedValidation[k], constantTest[k], learnedTest[k]);
            }
        }
        double[] x = new double[steps];
        for (int t = 0; t < steps; t++) {
            x[t] = t;
        }
        String schedulesFigure = "learned-schedules.png";
        Plots.trajectories(run.folder().resolve(schedulesFigure), "Learned learning rate per layer and step (seed " + seeds[0] + ")", x,
                figureSchedules, Plots.Style.of("training step", "learning rate").withLogY(true));
        double[] metaX = new double[meta + 1];
        for (int i = 0; i <= meta; i++) {
            metaX[i] = i;
        }
        String metaFigure = "validation-loss-against-meta-iteration.png";
        Plots.trajectories(run.folder().resolve(metaFigure), "Validation loss after T steps, per meta-iteration (seed " + seeds[0] + ")", metaX,
                Map.of("validation loss", metaCurve), Plots.Style.of("meta-iteration", "validation cross-entropy"));

        Table table = new Table("schedule (" + steps + " SGD steps, momentum 0.9)", "validation loss", "test loss");
        table.row("best constant rate of the grid " + Arrays.toString(GRID) + " (chosen: " + Table.overSeeds(bestConstant, 2) + ")",
                Table.overSeeds(constantValidation, 4), Table.overSeeds(constantTest, 4));
        table.row("learned: one rate per layer tensor and step (" + 8 * steps + " hyperparameters), " + meta + " meta-iterations",
                Table.overSeeds(learnedValidation, 4), Table.overSeeds(learnedTest, 4));
        table.row("largest over smallest mean rate of a layer tensor", Table.overSeeds(layerSpread, 2), "");
        table.row("mean rate in the last 10% of steps over the middle 40%", Table.overSeeds(endOverMiddle, 2), "");
        boolean better = true;
        boolean generalises = true;
        for (int k = 0; k < n; k++) {
            better &= learnedValidation[k] < constantValidation[k];
            generalises &= learnedTest[k] < constantTest[k];
        }
        List<Check> checks = List.of(
                new Check("Learned schedules beat the best constant learning rate", String.format(Locale.ROOT,
                        "validation loss %.4f vs %.4f (means), lower in %s seed", mean(learnedValidation), mean(constantValidation),
                        better ? "every" : "not every"), better),
                new Check("and the gain carries over to held-out data", String.format(Locale.ROOT, "test loss %.4f vs %.4f (means)", mean(learnedTest),
                        mean(constantTest)), generalises),
                new Check("The schedules differ between layers", String.format(Locale.ROOT, "largest over smallest layer mean %.2f", mean(layerSpread)),
                        mean(layerSpread) > 1.2));
        String claim = """
                Reverse-mode differentiation through the whole of training gives exact gradients of the validation loss with
                respect to a learning rate for every layer and every step; meta-learning them over a few meta-iterations gives
                schedules that differ by layer and reach a lower validation loss than a fixed schedule (Maclaurin et al. 2015,
                Section 3.1, Figure 2: a 784-50-50-50 network on MNIST, 100 steps).""";
        String setup = """
                Bundled digits, stratified 50/25/25 drawn by the seed, standardised; MLP 64-50-50-50-10 (tanh, initialised by the
                seed), cross-entropy with a negligible decay (λ = −12, fixed), float64. %d SGD steps with momentum 0.9
                (`m ← μm + g, w ← w − η_{t,k} m`), minibatches of %d fixed by the seed, the same initial weights every
                meta-iteration. Rates `η_{t,k} = exp(ρ_{t,k})` for the 8 weight tensors, from the grid's best constant rate;
                %d meta-iterations of Adam (0.05) on ρ with the exact reverse-mode hypergradient (stored trajectory, %d
                Hessian-vector products per meta-iteration).""".formatted(steps, BATCH, meta, steps);
        String differences = """
                The paper uses MNIST with a 784-50-50-50 network and exactly reversible dynamics to avoid storing the trajectory;
                here the 8 × 8 digits, a 64-50-50-50-10 network, and a stored trajectory (the reverse pass of this framework keeps
                `(w_t, m_t)`; memory is linear in the steps). The paper also learns initial weight scales and momentum schedules;
                here the learning rates only.""";
        String notes = String.format(Locale.ROOT, "Mean rate in the last 10%% of steps over the middle 40%%: %.2f (below 1: the learned rates fall"
                + " toward the end of training; above 1: they rise).", mean(endOverMiddle));
        return new Report(name(), title(), claim, setup, differences, table, checks, notes, List.of(schedulesFigure, metaFigure), run.scale(),
                run.seed(), run.seeds(), run.command());
    }

    /** Trains {@code T} steps from {@code w0} with {@code schedule}, differentiating back through all of them. */
    private static UnrolledHypergradient train(BilevelProblem p, ParamVector w0, StepFeeds feeds, SgdSchedule schedule) {
        p.weights().assignInPlace(w0);
        return ReverseUnrolledHypergradient.full(schedule, feeds).computeUnrolled(p.hypergradientProblem(p.fullTrainingFeed()));
    }

    private static Map<String, double[]> exp(Map<String, double[]> rho) {
        Map<String, double[]> eta = new LinkedHashMap<>();
        rho.forEach((k, r) -> eta.put(k, Arrays.stream(r).map(Math::exp).toArray()));
        return eta;
    }

    private static double meanOver(Map<String, double[]> eta, int from, int to) {
        double s = 0;
        int c = 0;
        for (double[] r : eta.values()) {
            for (int t = from; t < to; t++) {
                s += r[t];
                c++;
            }
        }
        return s / c;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on named plain arrays, minimising. */
    private static final class AdamOnArrays {
        private final double rate;
        private final Map<String, double[]> first = new LinkedHashMap<>();
        private final Map<String, double[]> second = new LinkedHashMap<>();
        private final Map<String, Integer> count = new LinkedHashMap<>();

        AdamOnArrays(double rate) {
            this.rate = rate;
        }

        void step(String name, double[] x, double[] g) {
            double[] m = first.computeIfAbsent(name, k -> new double[x.length]);
            double[] v = second.computeIfAbsent(name, k -> new double[x.length]);
            int t = count.merge(name, 1, Integer::sum);
            for (int i = 0; i < x.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                x[i] -= rate * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
    }
}
