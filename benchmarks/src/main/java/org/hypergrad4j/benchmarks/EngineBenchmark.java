package org.hypergrad4j.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.hypergrad.ReverseUnrolledHypergradient;
import org.hypergrad4j.hypergrad.SgdSchedule;
import org.hypergrad4j.hypergrad.StepFeeds;
import org.hypergrad4j.solvers.NeumannSeries;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java side of the engine-against-PyTorch comparison ({@code benchmarks/torch/engine_peer.py} is the
 * other): the same workloads, one thread, median milliseconds per call, printed as
 * {@code RESULT <name> <ms>} lines that {@code benchmarks/run-engine-vs-torch.sh} pairs up.
 *
 * <p>Every timed call starts at a new point (the weights are nudged, untimed, before each call), as
 * PyTorch's would: values cached by the engine across calls are those that really did not change
 * ({@code exp(λ)}, and within one implicit hypergradient the forward pass shared by its products).
 * Usage: {@code EngineBenchmark [repeats] [executor]}, executor {@code ENGINE} (default) or {@code SAMEDIFF}.
 */
public final class EngineBenchmark {
    private EngineBenchmark() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ExactSecondOrderView.Executor executor = args.length > 1 ? ExactSecondOrderView.Executor.valueOf(args[1]) : ExactSecondOrderView.Executor.ENGINE;
        System.out.printf("executor=%s, OMP_NUM_THREADS=%s, median of %d calls after warm-up%n", executor,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)"), repeats);
        Mlp small = new Mlp(256, 128, executor);
        result("gradient_256_128", small.gradient(repeats));
        result("ift_neumann5_256_128", small.ift(repeats));
        Mlp large = new Mlp(1024, 1024, executor);
        result("gradient_1024_1024", large.gradient(repeats));
        result("ift_neumann5_1024_1024", large.ift(repeats));
        SoftmaxRegression reg = new SoftmaxRegression(executor);
        result("hv_mixed_softreg42", reg.hessianAndMixed(repeats * 20));
        result("reverse_unrolled40_softreg42", reg.reverseUnrolled(Math.max(5, repeats)));
        result("sgemm_gflops", sgemmGflops(repeats));
    }

    private static void result(String name, double value) {
        System.out.println("RESULT " + name + " " + value);
    }

    /** MLP 784-H-10, tanh, mean softmax cross-entropy + ½ Σ exp(λ) ⊙ W² on both weight matrices, float32. */
    static final class Mlp {
        final ExactSecondOrderView train;
        final ExactSecondOrderView val;
        final Map<String, INDArray> trainFeed = new HashMap<>();
        final Map<String, INDArray> valFeed = new HashMap<>();
        final Random rnd = new Random(42);

        Mlp(int hidden, int batch, ExactSecondOrderView.Executor executor) {
            SameDiff sd = SameDiff.create();
            SDVariable w0 = sd.var("W0", SecondOrderBenchmark.gaussian(rnd, 1.0 / Math.sqrt(784), 784, hidden));
            SDVariable b0 = sd.var("b0", Nd4j.zeros(DataType.FLOAT, hidden));
            SDVariable w1 = sd.var("W1", SecondOrderBenchmark.gaussian(rnd, 1.0 / Math.sqrt(hidden), hidden, 10));
            SDVariable b1 = sd.var("b1", Nd4j.zeros(DataType.FLOAT, 10));
            SDVariable l0 = sd.var("lambda0", SecondOrderBenchmark.gaussian(rnd, 1.0, 784, hidden).subi(4));
            SDVariable l1 = sd.var("lambda1", SecondOrderBenchmark.gaussian(rnd, 1.0, hidden, 10).subi(4));
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 784);
            SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 10);
            SDVariable xv = sd.placeHolder("xv", DataType.FLOAT, -1, 784);
            SDVariable yv = sd.placeHolder("yv", DataType.FLOAT, -1, 10);
            SDVariable decay = sd.math.exp(l0).mul(sd.math.square(w0)).sum().add(sd.math.exp(l1).mul(sd.math.square(w1)).sum()).mul(0.5);
            DifferentiableOps.softmaxCrossEntropy(sd, logits(sd, x, w0, b0, w1, b1), y).add(decay).rename("trainLoss");
            DifferentiableOps.softmaxCrossEntropy(sd, logits(sd, xv, w0, b0, w1, b1), yv).rename("valLoss");
            List<String> weights = List.of("W0", "b0", "W1", "b1");
            List<String> hypers = List.of("lambda0", "lambda1");
            train = ExactSecondOrderView.build(sd, "trainLoss", weights, hypers).executor(executor);
            val = ExactSecondOrderView.build(sd, "valLoss", weights, hypers).executor(executor);
            trainFeed.put("x", SecondOrderBenchmark.gaussian(rnd, 1.0, batch, 784));
            trainFeed.put("y", oneHot(rnd, batch, 10));
            valFeed.put("xv", SecondOrderBenchmark.gaussian(rnd, 1.0, batch, 784));
            valFeed.put("yv", oneHot(rnd, batch, 10));
        }

        private static SDVariable logits(SameDiff sd, SDVariable x, SDVariable w0, SDVariable b0, SDVariable w1, SDVariable b1) {
            return sd.math.tanh(x.mmul(w0).add(b0)).mmul(w1).add(b1);
        }

        void nudge() {
            ParamVector w = train.weights();
            w.axpyInPlace(1e-4, w.withValues(rnd.doubles(w.length()).map(d -> d - 0.5).toArray()));
        }

        double gradient(int repeats) {
            return SecondOrderBenchmark.median(() -> train.lossAndGradient(trainFeed), this::nudge, repeats);
        }

        double ift(int repeats) {
            ImplicitHypergradient method = new ImplicitHypergradient(new NeumannSeries(1e-3, 5, false));
            HypergradientProblem problem = HypergradientProblem.fullBatch(train, trainFeed, val, valFeed);
            return SecondOrderBenchmark.median(() -> method.compute(problem), this::nudge, repeats);
        }
    }

    /** Softmax regression 13 → 3 (42 weights) with one decay per entry of W, float64, batches of 32. */
    static final class SoftmaxRegression {
        final ExactSecondOrderView train;
        final ExactSecondOrderView val;
        final Map<String, INDArray> trainFeed = new HashMap<>();
        final Map<String, INDArray> valFeed = new HashMap<>();
        final Random rnd = new Random(7);
        final ParamVector start;

        SoftmaxRegression(ExactSecondOrderView.Executor executor) {
            SameDiff sd = SameDiff.create();
            SDVariable w = sd.var("W", Nd4j.randn(DataType.DOUBLE, 13, 3).muli(0.1));
            SDVariable b = sd.var("b", Nd4j.zeros(DataType.DOUBLE, 3));
            SDVariable lambda = sd.var("lambda", Nd4j.randn(DataType.DOUBLE, 13, 3).subi(3));
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 13);
            SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, 3);
            SDVariable xv = sd.placeHolder("xv", DataType.DOUBLE, -1, 13);
            SDVariable yv = sd.placeHolder("yv", DataType.DOUBLE, -1, 3);
            DifferentiableOps.softmaxCrossEntropy(sd, x.mmul(w).add(b), y)
                    .add(sd.math.exp(lambda).mul(sd.math.square(w)).sum().mul(0.5)).rename("trainLoss");
            DifferentiableOps.softmaxCrossEntropy(sd, xv.mmul(w).add(b), yv).rename("valLoss");
            train = ExactSecondOrderView.build(sd, "trainLoss", List.of("W", "b"), List.of("lambda")).executor(executor);
            val = ExactSecondOrderView.build(sd, "valLoss", List.of("W", "b"), List.of("lambda")).executor(executor);
            trainFeed.put("x", Nd4j.randn(DataType.DOUBLE, 32, 13));
            trainFeed.put("y", oneHot(rnd, 32, 3).castTo(DataType.DOUBLE));
            valFeed.put("xv", Nd4j.randn(DataType.DOUBLE, 32, 13));
            valFeed.put("yv", oneHot(rnd, 32, 3).castTo(DataType.DOUBLE));
            start = train.weights().dup();
        }

        double hessianAndMixed(int repeats) {
            ParamVector v = train.weights().withValues(rnd.doubles(42).toArray());
            return SecondOrderBenchmark.median(() -> train.hessianAndMixed(v, trainFeed), () -> {
                ParamVector w = train.weights();
                w.axpyInPlace(1e-4, w.withValues(rnd.doubles(42).map(d -> d - 0.5).toArray()));
            }, repeats);
        }

        double reverseUnrolled(int repeats) {
            ReverseUnrolledHypergradient method = ReverseUnrolledHypergradient.full(SgdSchedule.constant(40, 0.1, 0.0), StepFeeds.constant(trainFeed));
            HypergradientProblem problem = HypergradientProblem.fullBatch(train, trainFeed, val, valFeed);
            return SecondOrderBenchmark.median(() -> method.compute(problem), () -> train.weights().assignInPlace(start), repeats);
        }
    }

    static INDArray oneHot(Random rnd, int batch, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, rnd.nextInt(classes), 1.0);
        }
        return y;
    }

    /** Row-major SGEMM 1024×784×1024 as the engine calls it (no operand transposes). */
    static double sgemmGflops(int repeats) {
        int m = 1024;
        int k = 784;
        int n = 1024;
        FloatPointer a = new FloatPointer(Nd4j.rand(DataType.FLOAT, m, k).data().asFloat());
        FloatPointer b = new FloatPointer(Nd4j.rand(DataType.FLOAT, k, n).data().asFloat());
        FloatPointer c = new FloatPointer((long) m * n);
        double ms = SecondOrderBenchmark.median(() -> {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k, 1f, a, k, b, n, 0f, c, n);
            return null;
        }, () -> { }, repeats);
        return 2.0 * m * k * n / (ms * 1e6);
    }
}
