package org.hypergrad4j.bilevel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multilayer perceptron {@code in → hidden… → classes}; with no hidden layer it is multinomial logistic
 * (softmax) regression. Weights {@code W_l} start at {@code N(0, gain²/fan_in)} (gain √2 for ReLU, 1
 * otherwise) from a seeded generator, biases at zero.
 */
public final class Mlp implements Model {
    /** Hidden-layer nonlinearity. */
    public enum Activation { TANH, RELU, SIGMOID }

    private final int inputs;
    private final int[] hidden;
    private final int classes;
    private final Activation activation;
    private final long seed;
    private final List<String> weights = new ArrayList<>();
    private final List<String> decayed = new ArrayList<>();

    public Mlp(int inputs, int[] hidden, int classes, Activation activation, long seed) {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("An MLP needs at least 1 input and 2 classes, got " + inputs + " and " + classes + ".");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("Hidden layer sizes must be at least 1, got " + java.util.Arrays.toString(hidden) + ".");
            }
        }
        this.inputs = inputs;
        this.hidden = hidden.clone();
        this.classes = classes;
        this.activation = activation;
        this.seed = seed;
    }

    /** Softmax regression {@code in → classes}. */
    public static Mlp logisticRegression(int inputs, int classes, long seed) {
        return new Mlp(inputs, new int[0], classes, Activation.TANH, seed);
    }

    @Override
    public SDVariable logits(SameDiff sd, SDVariable input, DataType type) {
        return logits(sd, input, type, (layer, width, h) -> h);
    }

    @Override
    public int[] hiddenWidths() {
        return hidden.clone();
    }

    @Override
    public SDVariable logits(SameDiff sd, SDVariable input, DataType type, HiddenTransform transform) {
        boolean create = weights.isEmpty();
        Random rnd = new Random(seed);
        SDVariable h = input;
        int prev = inputs;
        for (int l = 0; l <= hidden.length; l++) {
            int out = l < hidden.length ? hidden[l] : classes;
            String wName = "W" + l;
            String bName = "b" + l;
            SDVariable w;
            SDVariable b;
            if (create) {
                double gain = activation == Activation.RELU && l < hidden.length ? Math.sqrt(2) : 1.0;
                w = sd.var(wName, gaussian(rnd, gain / Math.sqrt(prev), prev, out).castTo(type));
                b = sd.var(bName, Nd4j.zeros(type, 1, out));
                weights.add(wName);
                weights.add(bName);
                decayed.add(wName);
            } else {
                w = sd.getVariable(wName);
                b = sd.getVariable(bName);
            }
            h = h.mmul(w).add(b);
            if (l < hidden.length) {
                h = switch (activation) {
                    case TANH -> sd.math.tanh(h);
                    case RELU -> sd.nn.relu(h, 0.0);
                    case SIGMOID -> sd.nn.sigmoid(h);
                };
                h = transform.apply(l, out, h);
            }
            prev = out;
        }
        return h;
    }

    /** A float64 array of {@code shape} with entries {@code std·N(0, 1)} drawn from {@code rnd} in C order (weight initialisation). */
    public static org.nd4j.linalg.api.ndarray.INDArray gaussian(Random rnd, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = std * rnd.nextGaussian();
        }
        return Nd4j.createFromArray(d).reshape(shape);
    }

    @Override
    public List<String> weights() {
        return Collections.unmodifiableList(weights);
    }

    @Override
    public List<String> decayedWeights() {
        return Collections.unmodifiableList(decayed);
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(hidden.length == 0 ? "softmax regression " : "MLP ").append(inputs);
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        sb.append('-').append(classes);
        return hidden.length == 0 ? sb.toString() : sb.append(" (").append(activation.name().toLowerCase()).append(')').toString();
    }
}
