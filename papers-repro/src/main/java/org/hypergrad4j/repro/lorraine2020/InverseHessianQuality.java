package org.hypergrad4j.repro.lorraine2020;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.hypergrad.HypergradientCheck;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.hypergrad.NewtonInnerSolver;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.DenseSolve;
import org.hypergrad4j.solvers.NeumannSeries;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lorraine, Vicol, Duvenaud (AISTATS 2020), experiment (e): the cosine similarity between approximate and exact
 * hypergradients against the number of Neumann terms or CG iterations, on a model small enough for an exact
 * inverse. Here: digits, a linear softmax model 64→10 without bias, one decay {@code exp(λ_ij)} per weight (640
 * hyperparameters at λ = −4), weights at the inner optimum (Newton, {@code ‖∇_w L_T‖ ≤ 1e-9}), float64; exact
 * hypergradient by a dense solve of the 640 × 640 Hessian; Neumann step {@code α = 1/λ_max(H)}. Seed {@code s}
 * draws the stratified 50/25/25 split.
 */
public final class InverseHessianQuality implements Reproduction {
    @Override
    public String name() {
        return "ift-inverse-hessian";
    }

    @Override
    public String title() {
        return "Lorraine et al. (2020), experiment (e): inverse-Hessian approximations against the exact hypergradient";
    }

    private static int[] terms(Scale scale) {
        return scale == Scale.SMOKE ? new int[] {0, 1, 5, 20} : new int[] {0, 1, 2, 5, 10, 20, 50};
    }

    @Override
    public Report run(Run run) {
        int[] terms = terms(run.scale());
        long[] seeds = run.seedList();
        double[][] neumann = new double[terms.length][seeds.length];
        double[][] cg = new double[terms.length][seeds.length];
        long[] neumannProducts = new long[terms.length];
        long[] cgProducts = new long[terms.length];
        double[] alphas = new double[seeds.length];
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "conjugate_gradient", "terms", "products", "cosine"))) {
            for (int k = 0; k < seeds.length; k++) {
                Problem p = problem(seeds[k]);
                alphas[k] = p.alpha;
                for (int t = 0; t < terms.length; t++) {
                    HypergradientResult n = new ImplicitHypergradient(new NeumannSeries(p.alpha, terms[t], false)).compute(p.problem);
                    neumann[t][k] = HypergradientCheck.cosine(n.hypergradient().toDoubleArray(), p.exact);
                    neumannProducts[t] = n.products();
                    metrics.write(seeds[k], 0, terms[t], n.products(), neumann[t][k]);
                    if (terms[t] > 0) {
                        HypergradientResult c = new ImplicitHypergradient(new ConjugateGradient(terms[t], 0.0)).compute(p.problem);
                        cg[t][k] = HypergradientCheck.cosine(c.hypergradient().toDoubleArray(), p.exact);
                        cgProducts[t] = c.products();
                        metrics.write(seeds[k], 1, terms[t], c.products(), cg[t][k]);
                    }
                }
                run.out().printf("seed %d: α = %.4f, Neumann 0/%d terms: cosine %.4f/%.4f, CG %d: %.6f%n", seeds[k], p.alpha,
                        terms[terms.length - 1], neumann[0][k], neumann[terms.length - 1][k], terms[terms.length - 1], cg[terms.length - 1][k]);
            }
        }

        Table table = new Table("approximation", "second-order products", "cosine similarity to the exact hypergradient");
        Map<String, Plots.Curve> curves = new LinkedHashMap<>();
        double[] nx = new double[terms.length];
        double[] ny = new double[terms.length];
        List<Double> cx = new ArrayList<>();
        List<Double> cy = new ArrayList<>();
        for (int t = 0; t < terms.length; t++) {
            table.row("Neumann, " + terms[t] + (terms[t] == 1 ? " term" : " terms") + (terms[t] == 0 ? " (identity)" : ""),
                    Long.toString(neumannProducts[t]), Table.overSeeds(neumann[t], 6));
            nx[t] = neumannProducts[t];
            ny[t] = mean(neumann[t]);
        }
        for (int t = 0; t < terms.length; t++) {
            if (terms[t] > 0) {
                table.row("CG, " + terms[t] + (terms[t] == 1 ? " iteration" : " iterations"), Long.toString(cgProducts[t]), Table.overSeeds(cg[t], 6));
                cx.add((double) cgProducts[t]);
                cy.add(mean(cg[t]));
            }
        }
        curves.put("Neumann series", new Plots.Curve(nx, ny));
        curves.put("conjugate gradient", new Plots.Curve(cx.stream().mapToDouble(Double::doubleValue).toArray(),
                cy.stream().mapToDouble(Double::doubleValue).toArray()));
        String figure = "cosine-against-products.png";
        Plots.curves(run.folder().resolve(figure), "Cosine to the exact hypergradient (mean over seeds)", curves,
                Plots.Style.of("second-order products", "cosine similarity"));

        boolean rising = true;
        boolean cgAtLeast = true;
        int last = terms.length - 1;
        int twenty = indexOf(terms, 20);
        for (int k = 0; k < seeds.length; k++) {
            for (int t = 1; t < terms.length; t++) {
                rising &= neumann[t][k] >= neumann[t - 1][k] - 1e-9;
            }
            cgAtLeast &= cg[twenty][k] >= neumann[twenty][k];
        }
        double cgMin = java.util.Arrays.stream(cg[twenty]).min().orElseThrow();
        List<Check> checks = List.of(
                new Check("The Neumann approximation improves with terms", rising
                        ? "cosine rises with every added term in every seed: " + fmt(mean(neumann[0])) + " (0 terms) → " + fmt(mean(neumann[last]))
                                + " (" + terms[last] + ")"
                        : "the cosine falls somewhere as terms are added", rising),
                new Check("CG matches or beats Neumann at an equal number of products (20)", cgAtLeast
                        ? "in every seed: CG 20 " + fmt(mean(cg[twenty])) + " vs Neumann 20 " + fmt(mean(neumann[twenty]))
                        : "Neumann beats CG in some seed", cgAtLeast),
                new Check("20 CG iterations are close to exact (cosine > 0.99)", "lowest over seeds " + fmt(cgMin), cgMin > 0.99));
        String setup = """
                Bundled digits (1,797 8 × 8 images), stratified split 50/25/25 drawn by the seed, standardised on the training part;
                a linear softmax model 64 → 10 without bias; one weight decay `exp(λ_ij)` per weight (640 hyperparameters, all at
                λ = −4); weights at the inner optimum (Newton, `‖∇_w L_T‖ ≤ 1e-9`); float64. Exact hypergradient by a dense solve
                of the 640 × 640 Hessian; Neumann step `α = 1/λ_max(H)` (%s over the seeds); CG from zero, no tolerance stop.
                Terms: %s.""".formatted(java.util.Arrays.toString(java.util.Arrays.stream(alphas).map(a -> Math.round(a * 1e4) / 1e4).toArray()),
                java.util.Arrays.toString(terms));
        String claim = """
                On models small enough to invert the Hessian exactly, the cosine similarity between the approximate and the exact
                hypergradient rises with the number of Neumann terms (0, 1, 5, 20 in the paper's figure), and conjugate gradient
                with as many Hessian-vector products does at least as well. The paper shows curves, not a table of numbers.""";
        String differences = """
                The paper measures this on small networks of its own (and MNIST-scale data); here a linear model on the 8 × 8
                digits, so that the exact 640 × 640 solve takes milliseconds. The Neumann step is `1/λ_max` rather than the inner
                learning rate, so the series converges; with the inner learning rate it may not.""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("no " + v + " among the terms");
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    private record Problem(HypergradientProblem problem, double[] exact, double alpha) {
    }

    private static Problem problem(long seed) {
        Split split = Splits.standardised(BundledDatasets.digits(), 0.5, 0.25, 0.25, seed);
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("W", Nd4j.zeros(DataType.DOUBLE, 64, 10));
        SDVariable lambda = sd.var("lambda", Nd4j.valueArrayOf(new long[] {64, 10}, -4.0, DataType.DOUBLE));
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 64);
        SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, 10);
        SDVariable xv = sd.placeHolder("xv", DataType.DOUBLE, -1, 64);
        SDVariable yv = sd.placeHolder("yv", DataType.DOUBLE, -1, 10);
        DifferentiableOps.softmaxCrossEntropy(sd, x.mmul(w), y).add(sd.math.exp(lambda).mul(sd.math.square(w)).sum()).rename("L_T");
        DifferentiableOps.softmaxCrossEntropy(sd, xv.mmul(w), yv).rename("L_V");
        var training = ExactSecondOrderView.build(sd, "L_T", List.of("W"), List.of("lambda"));
        var validation = ExactSecondOrderView.build(sd, "L_V", List.of("W"), List.of("lambda"));
        Dataset train = split.train();
        Dataset val = split.validation();
        Map<String, INDArray> tf = Map.of("x", train.toFeatures(DataType.DOUBLE), "y", train.toOneHotLabels(DataType.DOUBLE));
        Map<String, INDArray> vf = Map.of("xv", val.toFeatures(DataType.DOUBLE), "yv", val.toOneHotLabels(DataType.DOUBLE));
        new NewtonInnerSolver(1e-9, 30).solve(training, tf);
        HypergradientProblem problem = HypergradientProblem.fullBatch(training, tf, validation, vf);
        DMatrixRMaj hessian = training.denseHessian(tf);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(hessian.numRows, false, true);
        if (!eig.decompose(hessian)) {
            throw new IllegalStateException("the eigendecomposition of the Hessian failed");
        }
        double maxEig = 0;
        for (int i = 0; i < hessian.numRows; i++) {
            maxEig = Math.max(maxEig, eig.getEigenvalue(i).getReal());
        }
        double[] exact = new ImplicitHypergradient(new DenseSolve()).compute(problem).hypergradient().toDoubleArray();
        return new Problem(problem, exact, 1.0 / maxEig);
    }
}
