package org.hypergrad4j.hypergrad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.solvers.DenseSolve;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hypergradient analogue of a gradient check. At the inner optimum {@code w*(λ)} (solved accurately
 * by Newton's method) it compares a method's hypergradient with (1) the exact implicit hypergradient
 * (dense solve of {@code H q = ∂L_V/∂w}) and (2) central finite differences of the validation loss at
 * re-solved inner optima, {@code [L_V(w*(λ + h e_j), λ + h e_j) − L_V(w*(λ − h e_j), λ − h e_j)] / 2h},
 * on up to {@code entriesPerTensor} entries of each hyperparameter tensor (chosen by a seeded draw).
 * Reports cosine similarity and relative error per hyperparameter tensor. Run in float64.
 *
 * <p>Leaves the weights at {@code w*(λ)} and the hyperparameters unchanged.
 */
public final class HypergradientCheck {
    private final NewtonInnerSolver inner;
    private final int entriesPerTensor;
    private final double step;
    private final long seed;

    /**
     * @param inner            solves the inner problem to high accuracy
     * @param entriesPerTensor finite-difference entries per tensor (each costs two inner solves)
     * @param step             the finite-difference step {@code h} on λ
     */
    public HypergradientCheck(NewtonInnerSolver inner, int entriesPerTensor, double step, long seed) {
        if (entriesPerTensor < 1) {
            throw new IllegalArgumentException("entriesPerTensor must be at least 1, got " + entriesPerTensor + ".");
        }
        if (!(step > 0)) {
            throw new IllegalArgumentException("The finite-difference step must be positive, got " + step + ".");
        }
        this.inner = inner;
        this.entriesPerTensor = entriesPerTensor;
        this.step = step;
        this.seed = seed;
    }

    /** Agreement of one hyperparameter tensor. */
    public record TensorReport(String tensor, long size, double cosineToExact, double relativeErrorToExact,
                               int finiteDifferenceEntries, double cosineToFiniteDifferences,
                               double relativeErrorToFiniteDifferences, double exactRelativeErrorToFiniteDifferences) {
    }

    /** The whole comparison. */
    public record Report(String method, List<TensorReport> tensors, ParamVector methodHypergradient, ParamVector exactHypergradient) {
        /** The smallest cosine similarity to the exact hypergradient over tensors. */
        public double minCosineToExact() {
            return tensors.stream().mapToDouble(TensorReport::cosineToExact).min().orElse(Double.NaN);
        }

        /** The largest relative error to the exact hypergradient over tensors. */
        public double maxRelativeErrorToExact() {
            return tensors.stream().mapToDouble(TensorReport::relativeErrorToExact).max().orElse(Double.NaN);
        }

        /** The largest relative error of the method to finite differences over tensors. */
        public double maxRelativeErrorToFiniteDifferences() {
            return tensors.stream().mapToDouble(TensorReport::relativeErrorToFiniteDifferences).max().orElse(Double.NaN);
        }

        /** The largest relative error of the exact hypergradient to finite differences over tensors. */
        public double maxExactRelativeErrorToFiniteDifferences() {
            return tensors.stream().mapToDouble(TensorReport::exactRelativeErrorToFiniteDifferences).max().orElse(Double.NaN);
        }

        /** A Markdown table, one row per tensor. */
        public String toTable() {
            StringBuilder sb = new StringBuilder("hypergradient check: " + method + "\n");
            sb.append("| tensor | size | cos(method, exact) | rel. error to exact | FD entries | cos(method, FD) | rel. error to FD | exact's rel. error to FD |\n");
            sb.append("|---|---|---|---|---|---|---|---|\n");
            for (TensorReport t : tensors) {
                sb.append(String.format("| %s | %d | %.8f | %.2e | %d | %.8f | %.2e | %.2e |%n", t.tensor(), t.size(), t.cosineToExact(),
                        t.relativeErrorToExact(), t.finiteDifferenceEntries(), t.cosineToFiniteDifferences(),
                        t.relativeErrorToFiniteDifferences(), t.exactRelativeErrorToFiniteDifferences()));
            }
            return sb.toString();
        }
    }

    /**
     * @param trainingFeed the (full-batch) training feed that defines the inner problem
     */
    public Report check(HypergradientMethod method, HypergradientProblem problem, Map<String, INDArray> trainingFeed) {
        inner.solve(problem.training(), trainingFeed);
        ParamVector optimum = problem.weights().dup();
        ParamVector ofMethod = method.compute(problem).hypergradient();
        problem.weights().assignInPlace(optimum);
        ParamVector exact = new ImplicitHypergradient(new DenseSolve()).compute(problem).hypergradient();

        ParamVector lambda = problem.hyperparameters();
        Map<String, INDArray> valFeed = problem.validationFeed().get();
        Random rnd = new Random(seed);
        List<TensorReport> reports = new ArrayList<>();
        for (String name : lambda.names()) {
            INDArray tensor = lambda.get(name);
            INDArray flat = tensor.reshape(tensor.length());
            int n = (int) tensor.length();
            int[] entries = choose(n, Math.min(entriesPerTensor, n), rnd);
            double[] fd = new double[entries.length];
            double[] methodAt = new double[entries.length];
            double[] exactAt = new double[entries.length];
            double[] methodAll = flatten(ofMethod.get(name));
            double[] exactAll = flatten(exact.get(name));
            for (int k = 0; k < entries.length; k++) {
                int j = entries[k];
                double old = flat.getDouble(j);
                flat.putScalar(j, old + step);
                double plus = resolvedValidationLoss(problem, trainingFeed, valFeed, optimum);
                flat.putScalar(j, old - step);
                double minus = resolvedValidationLoss(problem, trainingFeed, valFeed, optimum);
                flat.putScalar(j, old);
                fd[k] = (plus - minus) / (2 * step);
                methodAt[k] = methodAll[j];
                exactAt[k] = exactAll[j];
            }
            reports.add(new TensorReport(name, n, cosine(methodAll, exactAll), relativeError(methodAll, exactAll), entries.length,
                    cosine(methodAt, fd), relativeError(methodAt, fd), relativeError(exactAt, fd)));
        }
        problem.weights().assignInPlace(optimum);
        return new Report(method.describe(), reports, ofMethod, exact);
    }

    private double resolvedValidationLoss(HypergradientProblem problem, Map<String, INDArray> trainingFeed,
                                          Map<String, INDArray> valFeed, ParamVector optimum) {
        problem.weights().assignInPlace(optimum);
        inner.solve(problem.training(), trainingFeed);
        return problem.validation().loss(valFeed);
    }

    private static int[] choose(int n, int k, Random rnd) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        int[] out = new int[k];
        System.arraycopy(all, 0, out, 0, k);
        java.util.Arrays.sort(out);
        return out;
    }

    private static double[] flatten(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }

    /** {@code ⟨a, b⟩ / (‖a‖ ‖b‖)}; 1 when both are zero. */
    public static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa == 0 && bb == 0) {
            return 1.0;
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** {@code ‖a − b‖ / ‖b‖} (or {@code ‖a‖} when {@code b = 0}). */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
