package org.hypergrad4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.FiniteDifferenceSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cost of exact second-order products against one gradient, measured in one run (ratios, not
 * absolute times, are the result). For each MLP {@code in-hidden-out} at a batch size, in float32,
 * with softmax cross-entropy and per-weight {@code exp(λ)} decay, the median wall time of:
 * SameDiff's own gradient ({@code calculateGradients}); the appended gradient
 * ({@link ExactSecondOrderView#lossAndGradient}); {@code H v} with the mixed product
 * ({@link ExactSecondOrderView#hessianAndMixed}); and the finite-difference product
 * ({@link FiniteDifferenceSecondOrderView}, two SameDiff gradients).
 *
 * <p>Usage: {@code SecondOrderBenchmark [repeats]}; ND4J's threads are set by OMP_NUM_THREADS.
 */
public final class SecondOrderBenchmark {
    private SecondOrderBenchmark() {
    }

    record Config(int in, int hidden, int out, int batch) {
        @Override
        public String toString() {
            return "MLP " + in + "-" + hidden + "-" + out + ", batch " + batch;
        }
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<Config> configs = List.of(new Config(784, 256, 10, 128), new Config(784, 1024, 10, 1024));
        System.out.printf("backend=%s, OMP_NUM_THREADS=%s, float32, median of %d calls after warm-up%n",
                Nd4j.getExecutioner().getClass().getSimpleName(), System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)"), repeats);
        System.out.println("| model | SameDiff gradient (ms) | appended gradient (ms) | H v + mixed (ms) | ratio H v / gradient | finite-difference H v (ms) | ops appended |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Config c : configs) {
            run(c, repeats);
        }
    }

    private static void run(Config c, int repeats) {
        Random rnd = new Random(42);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c.in());
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, c.out());
        SDVariable w0 = sd.var("W0", gaussian(rnd, 1.0 / Math.sqrt(c.in()), c.in(), c.hidden()));
        SDVariable b0 = sd.var("b0", gaussian(rnd, 0.0, 1, c.hidden()));
        SDVariable w1 = sd.var("W1", gaussian(rnd, 1.0 / Math.sqrt(c.hidden()), c.hidden(), c.out()));
        SDVariable b1 = sd.var("b1", gaussian(rnd, 0.0, 1, c.out()));
        SDVariable l0 = sd.var("lambda0", gaussian(rnd, 0.0, c.in(), c.hidden()).subi(4));
        SDVariable l1 = sd.var("lambda1", gaussian(rnd, 0.0, c.hidden(), c.out()).subi(4));
        SDVariable logits = sd.nn.relu(x.mmul(w0).add(b0), 0.0).mmul(w1).add(b1);
        SDVariable decay = sd.math.exp(l0).mul(sd.math.square(w0)).sum().add(sd.math.exp(l1).mul(sd.math.square(w1)).sum());
        SDVariable loss = DifferentiableOps.softmaxCrossEntropy(sd, logits, y).add(decay);
        loss.rename("loss");
        List<String> weights = List.of("W0", "b0", "W1", "b1");
        List<String> hypers = List.of("lambda0", "lambda1");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("x", gaussian(rnd, 1.0, c.batch(), c.in()));
        INDArray labels = Nd4j.zeros(DataType.FLOAT, c.batch(), c.out());
        for (int i = 0; i < c.batch(); i++) {
            labels.putScalar(i, rnd.nextInt(c.out()), 1.0);
        }
        feed.put("y", labels);

        ExactSecondOrderView exact = ExactSecondOrderView.build(sd, "loss", weights, hypers);
        FiniteDifferenceSecondOrderView fd = FiniteDifferenceSecondOrderView.build(sd, "loss", weights, hypers);
        List<String> all = new ArrayList<>(weights);
        all.addAll(hypers);
        ParamVector v = exact.weights().withValues(rnd.doubles(exact.weights().length()).map(d -> d - 0.5).toArray());

        double sameDiff = median(() -> sd.calculateGradients(feed, all), repeats);
        double appended = median(() -> exact.lossAndGradient(feed), repeats);
        double hv = median(() -> exact.hessianAndMixed(v, feed), repeats);
        double fdHv = median(() -> fd.hessianAndMixed(v, feed), repeats);
        System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n", c, sameDiff, appended, hv, hv / sameDiff, fdHv, exact.appendedOps());
    }

    /** Minimum warm-up per measurement. */
    static final double WARM_UP_SECONDS = 2.0;

    static double median(Supplier<?> call, int repeats) {
        return median(call, () -> { }, repeats);
    }

    /**
     * The median wall time (ms) of {@code call}, each run after an untimed {@code prepare}, after a
     * warm-up of at least {@code max(3, repeats / 5)} calls and {@link #WARM_UP_SECONDS} (so that the
     * JIT has compiled the Java kernels of small graphs before anything is timed).
     */
    static double median(Supplier<?> call, Runnable prepare, int repeats) {
        long warmUpEnd = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        for (int i = 0; i < Math.max(3, repeats / 5) || System.nanoTime() < warmUpEnd; i++) {
            prepare.run();
            call.get();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            prepare.run();
            long start = System.nanoTime();
            call.get();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    static INDArray gaussian(Random rnd, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] d = new float[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (std * rnd.nextGaussian());
        }
        return Nd4j.createFromArray(d).reshape(shape);
    }
}
