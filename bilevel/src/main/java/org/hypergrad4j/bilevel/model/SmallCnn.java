package org.hypergrad4j.bilevel.model;

import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small CNN for images flattened to {@code channels·height·width} features: conv 3×3 (SAME, stride 1,
 * {@code filters} channels) → ReLU → max-pool 2×2 → dense → {@code classes}. Height and width must be even.
 */
public final class SmallCnn implements Model {
    private final int channels;
    private final int height;
    private final int width;
    private final int filters;
    private final int classes;
    private final long seed;
    private boolean built;

    public SmallCnn(int channels, int height, int width, int filters, int classes, long seed) {
        if (channels < 1 || height < 2 || width < 2 || height % 2 != 0 || width % 2 != 0 || filters < 1 || classes < 2) {
            throw new IllegalArgumentException("SmallCnn needs channels ≥ 1, even height and width ≥ 2, filters ≥ 1 and classes ≥ 2; got "
                    + channels + "×" + height + "×" + width + ", " + filters + " filters, " + classes + " classes.");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.filters = filters;
        this.classes = classes;
        this.seed = seed;
    }

    @Override
    public SDVariable logits(SameDiff sd, SDVariable input, DataType type) {
        int flat = filters * (height / 2) * (width / 2);
        SDVariable k;
        SDVariable kb;
        SDVariable w;
        SDVariable b;
        if (!built) {
            Random rnd = new Random(seed);
            k = sd.var("K0", Mlp.gaussian(rnd, Math.sqrt(2.0 / (9 * channels)), 3, 3, channels, filters).castTo(type));
            kb = sd.var("bK0", Nd4j.zeros(type, filters));
            w = sd.var("W1", Mlp.gaussian(rnd, 1.0 / Math.sqrt(flat), flat, classes).castTo(type));
            b = sd.var("b1", Nd4j.zeros(type, 1, classes));
            built = true;
        } else {
            k = sd.getVariable("K0");
            kb = sd.getVariable("bK0");
            w = sd.getVariable("W1");
            b = sd.getVariable("b1");
        }
        SDVariable images = sd.reshape(input, -1, channels, height, width);
        SDVariable conv = sd.cnn.conv2d(images, k, kb, Conv2DConfig.builder().kH(3).kW(3).paddingMode(PaddingMode.SAME).build());
        SDVariable pooled = sd.cnn.maxPooling2d(sd.nn.relu(conv, 0.0), Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).build());
        return sd.reshape(pooled, -1, flat).mmul(w).add(b);
    }

    @Override
    public List<String> weights() {
        return List.of("K0", "bK0", "W1", "b1");
    }

    @Override
    public List<String> decayedWeights() {
        return List.of("K0", "W1");
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public String describe() {
        return "CNN " + channels + "×" + height + "×" + width + " → conv3×3(" + filters + ") → pool → " + classes;
    }

}
