package org.hypergrad4j.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/** Small models with per-weight {@code exp(λ)} decay, for second-order tests. */
public final class TestModels {
    private TestModels() {
    }

    /** A built model: its graph, loss name, weights, hyperparameters, and one feed. */
    public record Model(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters, Map<String, INDArray> feed) {
    }

    public enum Activation { TANH, RELU }

    /**
     * MLP {@code in → hidden... → classes} with the given activation, softmax cross-entropy, and
     * decay {@code Σ_l Σ exp(λ_l) ⊙ W_l²} on every weight matrix.
     */
    public static Model mlp(long seed, DataType type, int batch, int in, int[] hidden, int classes, Activation act) {
        Random rnd = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", type, -1, in);
        SDVariable y = sd.placeHolder("y", type, -1, classes);
        List<String> weights = new ArrayList<>();
        List<String> hypers = new ArrayList<>();
        SDVariable h = x;
        SDVariable decay = null;
        int prev = in;
        int[] sizes = new int[hidden.length + 1];
        System.arraycopy(hidden, 0, sizes, 0, hidden.length);
        sizes[hidden.length] = classes;
        for (int l = 0; l < sizes.length; l++) {
            SDVariable w = sd.var("W" + l, gaussian(rnd, type, 1.0 / Math.sqrt(prev), prev, sizes[l]));
            SDVariable b = sd.var("b" + l, gaussian(rnd, type, 0.1, 1, sizes[l]));
            SDVariable lam = sd.var("lambda" + l, gaussian(rnd, type, 0.5, prev, sizes[l]).subi(3.0));
            weights.add(w.name());
            weights.add(b.name());
            hypers.add(lam.name());
            SDVariable z = h.mmul(w).add(b);
            if (l < sizes.length - 1) {
                h = act == Activation.TANH ? sd.math.tanh(z) : sd.nn.relu(z, 0.0);
            } else {
                h = z;
            }
            SDVariable term = sd.math.exp(lam).mul(sd.math.square(w)).sum();
            decay = decay == null ? term : decay.add(term);
            prev = sizes[l];
        }
        SDVariable loss = DifferentiableOps.softmaxCrossEntropy(sd, h, y).add(decay);
        loss.rename("loss");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("x", gaussian(rnd, type, 1.0, batch, in));
        feed.put("y", oneHot(rnd, type, batch, classes));
        return new Model(sd, "loss", weights, hypers, feed);
    }

    /**
     * CNN: conv 3×3 SAME (c1 channels) → relu → max-pool 2 → conv 3×3 VALID (c2) → tanh → average-pool 2
     * → dense → softmax cross-entropy, with per-weight {@code exp(λ)} decay on both kernels and the dense weights.
     */
    public static Model cnn(long seed, DataType type, int batch, int channels, int size, int c1, int c2, int classes) {
        Random rnd = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", type, -1, channels, size, size);
        SDVariable y = sd.placeHolder("y", type, -1, classes);
        SDVariable k1 = sd.var("K1", gaussian(rnd, type, 0.4, 3, 3, channels, c1));
        SDVariable b1 = sd.var("bK1", gaussian(rnd, type, 0.1, c1));
        SDVariable k2 = sd.var("K2", gaussian(rnd, type, 0.3, 3, 3, c1, c2));
        SDVariable conv1 = sd.cnn.conv2d(x, k1, b1, Conv2DConfig.builder().kH(3).kW(3).paddingMode(PaddingMode.SAME).build());
        SDVariable p1 = sd.cnn.maxPooling2d(sd.nn.relu(conv1, 0.0), Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).build());
        SDVariable conv2 = sd.cnn.conv2d(p1, k2, Conv2DConfig.builder().kH(3).kW(3).build());
        int s2 = size / 2 - 2;
        SDVariable p2 = sd.cnn.avgPooling2d(sd.math.tanh(conv2), Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).build());
        int flat = c2 * (s2 / 2) * (s2 / 2);
        SDVariable w = sd.var("W", gaussian(rnd, type, 1.0 / Math.sqrt(flat), flat, classes));
        SDVariable b = sd.var("b", gaussian(rnd, type, 0.1, 1, classes));
        SDVariable logits = sd.reshape(p2, -1, flat).mmul(w).add(b);
        List<String> weights = List.of("K1", "bK1", "K2", "W", "b");
        List<String> hypers = new ArrayList<>();
        SDVariable decay = null;
        for (SDVariable v : new SDVariable[] {k1, k2, w}) {
            SDVariable lam = sd.var("lambda_" + v.name(), gaussian(rnd, type, 0.5, v.getArr().shape()).subi(3.0));
            hypers.add(lam.name());
            SDVariable term = sd.math.exp(lam).mul(sd.math.square(v)).sum();
            decay = decay == null ? term : decay.add(term);
        }
        SDVariable loss = DifferentiableOps.softmaxCrossEntropy(sd, logits, y).add(decay);
        loss.rename("loss");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("x", gaussian(rnd, type, 1.0, batch, channels, size, size));
        feed.put("y", oneHot(rnd, type, batch, classes));
        return new Model(sd, "loss", weights, hypers, feed);
    }

    public static INDArray gaussian(Random rnd, DataType type, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = std * rnd.nextGaussian();
        }
        return Nd4j.createFromArray(d).reshape(shape).castTo(type);
    }

    public static INDArray uniform(Random rnd, DataType type, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return Nd4j.createFromArray(d).reshape(shape).castTo(type);
    }

    public static INDArray oneHot(Random rnd, DataType type, int batch, int classes) {
        INDArray y = Nd4j.zeros(type, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, rnd.nextInt(classes), 1.0);
        }
        return y;
    }
}
