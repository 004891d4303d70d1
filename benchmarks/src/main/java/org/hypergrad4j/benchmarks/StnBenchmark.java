package org.hypergrad4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.hypernets.stn.StnHyperparameter;
import org.hypergrad4j.hypernets.stn.StnHyperparameters;
import org.hypergrad4j.hypernets.stn.StnNetwork;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a self-tuning network costs over plain training, measured in one run (the ratios are the result):
 * for the Fashion-MNIST MLP of the STN reproduction (784 → dropout → 256 → ReLU → dropout → 256 → ReLU →
 * dropout → 10, float32, softmax cross-entropy), the median wall time of one weight gradient of the plain
 * network with fed dropout masks (SameDiff's reverse mode), one weight gradient of the STN with best-response
 * layers and per-example perturbed hyperparameters, and one hyper-step gradient (with respect to {@code λ} and
 * {@code ρ}) on a validation batch. The amortised cost of an STN cycle per training step is
 * {@code (T_train·t_train + T_valid·t_hyper) / T_train}.
 *
 * <p>Usage: {@code StnBenchmark [repeats]}; ND4J's threads are set by OMP_NUM_THREADS.
 */
public final class StnBenchmark {
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int OUT = 10;

    private StnBenchmark() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        System.out.printf("backend=%s, OMP_NUM_THREADS=%s, float32, median of %d calls after warm-up%n",
                Nd4j.getExecutioner().getClass().getSimpleName(), System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)"), repeats);
        System.out.println("| batch (train / valid) | plain gradient (ms) | STN training gradient (ms) | STN hyper gradient (ms) | STN / plain | STN cycle 2/1 per training step / plain |");
        System.out.println("|---|---|---|---|---|---|");
        for (int[] b : new int[][]{{100, 500}, {128, 128}}) {
            run(b[0], b[1], repeats);
        }
    }

    private static void run(int batch, int validationBatch, int repeats) {
        Random rnd = new Random(42);
        SameDiff plain = SameDiff.create();
        SDVariable x = plain.placeHolder("x", DataType.FLOAT, -1, IN);
        SDVariable y = plain.placeHolder("y", DataType.FLOAT, -1, OUT);
        SDVariable h = x.mul(plain.placeHolder("m0", DataType.FLOAT, -1, IN));
        int[] widths = {IN, HIDDEN, HIDDEN, OUT};
        for (int l = 0; l < 3; l++) {
            SDVariable w = plain.var("W" + l, SecondOrderBenchmark.gaussian(rnd, Math.sqrt(2.0 / widths[l]), widths[l], widths[l + 1]));
            SDVariable bias = plain.var("b" + l, Nd4j.zeros(DataType.FLOAT, 1, widths[l + 1]));
            h = h.mmul(w).add(bias);
            if (l < 2) {
                h = plain.nn.relu(h, 0.0).mul(plain.placeHolder("m" + (l + 1), DataType.FLOAT, -1, widths[l + 1]));
            }
        }
        plain.setLossVariables(DifferentiableOps.softmaxCrossEntropy(plain, h, y));
        List<String> plainWeights = List.of("W0", "b0", "W1", "b1", "W2", "b2");
        Map<String, INDArray> plainFeed = new LinkedHashMap<>();
        plainFeed.put("x", Nd4j.rand(DataType.FLOAT, batch, IN));
        plainFeed.put("y", oneHot(batch, rnd));
        plainFeed.put("m0", mask(batch, IN));
        plainFeed.put("m1", mask(batch, HIDDEN));
        plainFeed.put("m2", mask(batch, HIDDEN));
        double tPlain = SecondOrderBenchmark.median(() -> plain.calculateGradients(plainFeed, plainWeights), repeats);

        StnHyperparameters hp = new StnHyperparameters(List.of(StnHyperparameter.dropout("d0", 0.2), StnHyperparameter.dropout("d1", 0.2),
                StnHyperparameter.dropout("d2", 0.2)));
        StnNetwork net = StnNetwork.builder(IN, hp).seed(1).dropout("d0").linear(HIDDEN, StnNetwork.Activation.RELU).dropout("d1")
                .linear(HIDDEN, StnNetwork.Activation.RELU).dropout("d2").output(OUT).build();
        Map<String, INDArray> train = stnFeed(batch, rnd, 1.0, true);
        double tTrain = SecondOrderBenchmark.median(() -> net.lossAndGradients(train, net.weightNames()), repeats);
        Map<String, INDArray> valid = stnFeed(validationBatch, rnd, 0.0, false);
        double tHyper = SecondOrderBenchmark.median(() -> net.lossAndGradients(valid, net.hyperparameterNames()), repeats);
        System.out.printf("| %d / %d | %.2f | %.2f | %.2f | **%.2f** | **%.2f** |%n", batch, validationBatch, tPlain, tTrain, tHyper, tTrain / tPlain,
                (2 * tTrain + tHyper) / 2 / tPlain);
    }

    private static Map<String, INDArray> stnFeed(int batch, Random rnd, double decayOn, boolean dropout) {
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(StnNetwork.INPUT, Nd4j.rand(DataType.FLOAT, batch, IN));
        feed.put(StnNetwork.TARGETS, oneHot(batch, rnd));
        feed.put(StnNetwork.EPSILON, Nd4j.randn(DataType.FLOAT, batch, 3));
        feed.put(StnNetwork.DECAY_ON, Nd4j.valueArrayOf(new long[]{1, 1}, decayOn).castTo(DataType.FLOAT));
        feed.put("mask.0", dropout ? mask(batch, IN) : Nd4j.ones(DataType.FLOAT, batch, IN));
        feed.put("mask.1", dropout ? mask(batch, HIDDEN) : Nd4j.ones(DataType.FLOAT, batch, HIDDEN));
        feed.put("mask.2", dropout ? mask(batch, HIDDEN) : Nd4j.ones(DataType.FLOAT, batch, HIDDEN));
        return feed;
    }

    private static INDArray mask(int batch, int width) {
        return Nd4j.rand(DataType.FLOAT, batch, width).gt(0.2).castTo(DataType.FLOAT).muli(1 / 0.8);
    }

    private static INDArray oneHot(int batch, Random rnd) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, OUT);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, rnd.nextInt(OUT), 1.0);
        }
        return y;
    }
}
