package org.hypergrad4j.hypernets.stn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A self-tuning network (MacKay et al. 2019): a feed-forward network of structured best-response layers,
 * each computing
 * <pre>  out = s·(W x + b) + (λ̂ U_w) ⊙ (W' x) + (λ̂ U_b) ⊙ b'</pre>
 * where {@code λ̂} is the example's (perturbed, unconstrained) hyperparameter row, {@code U_w, U_b} are
 * [h, units] gates drawn from N(0, 0.01²), {@code s} is a learned scalar starting at 1, and {@code W'} is
 * initialised like {@code W}. For a convolution, {@code W x} is the convolution and the gates act per output
 * channel. The network's weights are therefore a function of the hyperparameters, {@code w(λ)}, and the
 * validation loss can be differentiated with respect to {@code λ} through the gates even when the training
 * loss cannot (dropout, augmentation, discrete values).
 *
 * <p>One SameDiff graph serves both steps. Placeholders: {@value #INPUT} [b, features], {@value #TARGETS}
 * [b, outputs] (one-hot labels or regression targets), {@value #EPSILON} [b, h] (the perturbation noise;
 * zeros to evaluate at {@code λ}), one dropout mask per dropout site ({@code mask.k}, the activation's shape, or [channels, 1, 1] for channel dropout;
 * ones to switch dropout off), and {@value #DECAY_ON} [1, 1] (1 to include the weight-decay term, 0
 * for the validation loss). The graph's loss is
 * <pre>  L = data loss + decayOn · mean_i decay(λ̂_i)·Σ_layers ‖W_eff(λ̂_i)‖²</pre>
 * with {@code W_eff(λ̂) = s·W + W' diag(λ̂ U_w)} (biases are not decayed).
 */
public final class StnNetwork {
    public static final String INPUT = "input";
    public static final String TARGETS = "targets";
    public static final String EPSILON = "epsilon";
    public static final String DECAY_ON = "decayOn";
    public static final String LOSS = "loss";
    public static final String LOGITS = "logits";

    /** Standard deviation of the gates' initial entries (the paper's N(0, 0.01²)). */
    public static final double GATE_INIT_STD = 0.01;
    private static final int CLEAR_SESSIONS_EVERY = 200;

    public enum Activation { RELU, TANH, IDENTITY }

    public enum Loss { CROSS_ENTROPY, SQUARED_ERROR }

    /**
     * A dropout site: its mask placeholder, the hyperparameter that sets its rate, and its mask's shape without the batch:
     * the activation's shape, or [channels, 1, 1] for channel dropout (broadcast over height and width).
     */
    public record DropoutSite(String maskName, String hyperparameter, long[] shape) {
        /** The mask's shape for {@code batch} examples: {@code [batch, shape…]}. */
        public long[] maskShape(int batch) {
            long[] full = new long[shape.length + 1];
            full[0] = batch;
            System.arraycopy(shape, 0, full, 1, shape.length);
            return full;
        }
    }

    /** A best-response layer's tensor names. {@code bias} and {@code hyperBias} are null for a layer without bias. */
    public record LayerTensors(String weight, String bias, String hyperWeight, String hyperBias, String gateWeight, String gateBias,
                               String scale, boolean convolution) {
    }

    private final SameDiff sd;
    private final DataType type;
    private final StnHyperparameters hyperparameters;
    private final int inputFeatures;
    private final int outputs;
    private final Loss loss;
    private final List<DropoutSite> dropoutSites;
    private final List<LayerTensors> layers;
    private final List<String> weightNames;
    private final String decayHyperparameter;
    private long calls;

    private StnNetwork(Builder b) {
        this.type = b.type;
        this.hyperparameters = b.hyperparameters;
        this.inputFeatures = b.inputFeatures;
        this.loss = b.loss;
        this.decayHyperparameter = b.decayHyperparameter;
        this.sd = SameDiff.create();
        int h = hyperparameters.count();
        Random rnd = new Random(b.seed);
        SDVariable input = sd.placeHolder(INPUT, type, -1, inputFeatures);
        SDVariable epsilon = sd.placeHolder(EPSILON, type, -1, h);
        SDVariable decayOn = sd.placeHolder(DECAY_ON, type, 1, 1);
        SDVariable lambda = sd.var(StnHyperparameters.LAMBDA, hyperparameters.lambda().castTo(type));
        SDVariable scaleRaw = sd.var(StnHyperparameters.SCALE, hyperparameters.scaleRaw().castTo(type));
        hyperparameters.bind(lambda.getArr(), scaleRaw.getArr());
        SDVariable hin = lambda.add(sd.nn.softplus(scaleRaw).mul(epsilon));

        List<DropoutSite> sites = new ArrayList<>();
        List<LayerTensors> tensors = new ArrayList<>();
        List<String> weights = new ArrayList<>();
        List<SDVariable> effectiveNorms = new ArrayList<>();
        SDVariable x = input;
        long[] shape = b.imageShape != null ? b.imageShape.clone() : new long[]{inputFeatures};
        if (b.imageShape != null) {
            x = sd.reshape(input, -1, shape[0], shape[1], shape[2]);
        }
        int layerIndex = 0;
        int outputUnits = -1;
        for (LayerSpec spec : b.specs) {
            if (spec instanceof DropoutSpec d) {
                String mask = "mask." + sites.size();
                if (d.channels() && shape.length != 3) {
                    throw new IllegalArgumentException("Channel dropout '" + d.hyperparameter() + "' needs an image activation (after a convolution or"
                            + " pooling); here the activation has shape " + java.util.Arrays.toString(shape) + ".");
                }
                // Channel dropout: one mask entry per (example, channel), broadcast over the channel's height and width.
                long[] siteShape = d.channels() ? new long[]{shape[0], 1, 1} : shape.clone();
                long[] maskShape = new long[siteShape.length + 1];
                maskShape[0] = -1;
                System.arraycopy(siteShape, 0, maskShape, 1, siteShape.length);
                x = DifferentiableOps.dropout(x, sd.placeHolder(mask, type, maskShape));
                sites.add(new DropoutSite(mask, d.hyperparameter(), siteShape));
            } else if (spec instanceof PoolSpec p) {
                if (shape.length != 3 || shape[1] % p.size() != 0 || shape[2] % p.size() != 0) {
                    throw new IllegalArgumentException("Max-pooling by " + p.size() + " needs an image whose height and width it divides; the input here has shape "
                            + java.util.Arrays.toString(shape) + ".");
                }
                x = sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(p.size()).kW(p.size()).sH(p.size()).sW(p.size()).build());
                shape = new long[]{shape[0], shape[1] / p.size(), shape[2] / p.size()};
            } else if (spec instanceof LinearSpec l) {
                if (shape.length == 3) {
                    x = sd.reshape(x, -1, shape[0] * shape[1] * shape[2]);
                    shape = new long[]{shape[0] * shape[1] * shape[2]};
                }
                String p = "layer" + layerIndex++ + ".";
                long fanIn = shape[0];
                double std = l.activation() == Activation.RELU ? Math.sqrt(2.0 / fanIn) : Math.sqrt(1.0 / fanIn);
                SDVariable w = sd.var(p + "W", gaussian(rnd, std, fanIn, l.units()));
                SDVariable wh = sd.var(p + "Wh", gaussian(rnd, std, fanIn, l.units()));
                SDVariable uw = sd.var(p + "Uw", gaussian(rnd, GATE_INIT_STD, h, l.units()));
                SDVariable s = sd.var(p + "s", Nd4j.ones(type, 1, 1));
                SDVariable z = x.mmul(w);
                SDVariable gateW = hin.mmul(uw);
                SDVariable corr = gateW.mul(x.mmul(wh));
                String bName = null;
                String bhName = null;
                String ubName = null;
                if (l.bias()) {
                    SDVariable bias = sd.var(p + "b", Nd4j.zeros(type, 1, l.units()));
                    SDVariable bh = sd.var(p + "bh", Nd4j.zeros(type, 1, l.units()));
                    SDVariable ub = sd.var(p + "Ub", gaussian(rnd, GATE_INIT_STD, h, l.units()));
                    z = z.add(bias);
                    corr = corr.add(hin.mmul(ub).mul(bh));
                    bName = bias.name();
                    bhName = bh.name();
                    ubName = ub.name();
                }
                x = activate(z.mul(s).add(corr), l.activation());
                LayerTensors t = new LayerTensors(w.name(), bName, wh.name(), bhName, uw.name(), ubName, s.name(), false);
                tensors.add(t);
                effectiveNorms.add(effectiveSquaredNorm(w, wh, gateW, s, fanIn, l.units()));
                shape = new long[]{l.units()};
                outputUnits = l.units();
            } else if (spec instanceof ConvSpec c) {
                if (shape.length != 3) {
                    throw new IllegalArgumentException("A convolution needs an image input; declare imageShape(channels, height, width) on the builder.");
                }
                String p = "layer" + layerIndex++ + ".";
                long in = shape[0];
                double std = Math.sqrt(2.0 / (c.kernel() * c.kernel() * in));
                SDVariable k = sd.var(p + "W", gaussian(rnd, std, c.kernel(), c.kernel(), in, c.filters()));
                SDVariable kh = sd.var(p + "Wh", gaussian(rnd, std, c.kernel(), c.kernel(), in, c.filters()));
                SDVariable kb = sd.var(p + "b", Nd4j.zeros(type, c.filters()));
                SDVariable bh = sd.var(p + "bh", Nd4j.zeros(type, 1, c.filters()));
                SDVariable uw = sd.var(p + "Uw", gaussian(rnd, GATE_INIT_STD, h, c.filters()));
                SDVariable ub = sd.var(p + "Ub", gaussian(rnd, GATE_INIT_STD, h, c.filters()));
                SDVariable s = sd.var(p + "s", Nd4j.ones(type, 1, 1, 1, 1));
                Conv2DConfig cfg = Conv2DConfig.builder().kH(c.kernel()).kW(c.kernel()).paddingMode(PaddingMode.SAME).build();
                SDVariable conv = sd.cnn.conv2d(x, k, kb, cfg);
                SDVariable convH = sd.cnn.conv2d(x, kh, cfg);
                SDVariable gateW = hin.mmul(uw);
                SDVariable gateB = hin.mmul(ub).mul(bh);
                SDVariable out = conv.mul(s).add(convH.mul(sd.reshape(gateW, -1, c.filters(), 1, 1)))
                        .add(sd.reshape(gateB, -1, c.filters(), 1, 1));
                x = activate(out, c.activation());
                tensors.add(new LayerTensors(k.name(), kb.name(), kh.name(), bh.name(), uw.name(), ub.name(), s.name(), true));
                effectiveNorms.add(effectiveSquaredNorm(sd.reshape(k, -1, c.filters()), sd.reshape(kh, -1, c.filters()), gateW,
                        sd.reshape(s, 1, 1), (long) c.kernel() * c.kernel() * in, c.filters()));
                shape = new long[]{c.filters(), shape[1], shape[2]};
            }
        }
        if (!(b.specs.get(b.specs.size() - 1) instanceof LinearSpec last) || last.activation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("A self-tuning network must end with output(units): a linear layer without activation.");
        }
        this.outputs = outputUnits;
        for (LayerTensors t : tensors) {
            for (String n : new String[]{t.weight(), t.bias(), t.hyperWeight(), t.hyperBias(), t.gateWeight(), t.gateBias(), t.scale()}) {
                if (n != null) {
                    weights.add(n);
                }
            }
        }
        SDVariable logits = sd.identity(LOGITS, x);
        SDVariable targets = sd.placeHolder(TARGETS, type, -1, outputs);
        SDVariable dataLoss = loss == Loss.CROSS_ENTROPY ? DifferentiableOps.softmaxCrossEntropy(sd, logits, targets)
                // mean over all elements times the width: the mean over examples of Σ_k (z − t)², without a reduction over a size-1 axis
                : sd.math.square(logits.sub(targets)).mean().mul(outputs);
        SDVariable total = dataLoss;
        if (decayHyperparameter != null) {
            StnHyperparameter spec = hyperparameters.spec(decayHyperparameter);
            if (spec.kind() != StnHyperparameter.Kind.LOG) {
                throw new IllegalArgumentException("Weight decay hyperparameter '" + decayHyperparameter + "' must be log-scale (StnHyperparameter.logScale); it is "
                        + spec.kind() + ".");
            }
            INDArray selector = Nd4j.zeros(type, h, 1);
            selector.putScalar(hyperparameters.indexOf(decayHyperparameter), 0, 1.0);
            SDVariable u = hin.mmul(sd.constant(selector));
            double logLo = Math.log(spec.lower());
            double logHi = Math.log(spec.upper());
            SDVariable decay = sd.math.exp(sd.nn.sigmoid(u).mul(logHi - logLo).add(logLo));
            SDVariable norms = effectiveNorms.get(0);
            for (int i = 1; i < effectiveNorms.size(); i++) {
                norms = norms.add(effectiveNorms.get(i));
            }
            total = total.add(decay.mul(norms).mul(decayOn).mean());
        } else {
            total = total.add(decayOn.mul(0.0).mean());
        }
        SDVariable lossVariable = sd.identity(LOSS, total);
        this.dropoutSites = List.copyOf(sites);
        this.layers = List.copyOf(tensors);
        this.weightNames = List.copyOf(weights);
        for (DropoutSite site : sites) {
            hyperparameters.indexOf(site.hyperparameter());
        }
        sd.setLossVariables(LOSS);
        buildGradientFunctionQuietly();
    }

    /**
     * Builds SameDiff's gradient function now, with standard output muted: SameDiff 1.0.0-M2.1 prints one line
     * per differentiated op to {@code System.out} while building it, which would flood the command line.
     */
    private void buildGradientFunctionQuietly() {
        java.io.PrintStream original = System.out;
        synchronized (System.class) {
            try {
                System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                sd.createGradFunction();
            } finally {
                System.setOut(original);
            }
        }
    }

    /**
     * Per example, {@code ‖s·W + W' diag(g_i)‖² = s²‖W‖² + 2s·g_i·a + g_i²·c} with {@code a_j = Σ_r W_rj W'_rj},
     * {@code c_j = Σ_r W'_rj²}: [b, 1]. Row sums are written as products with a ones column, which SameDiff
     * differentiates for any width (its reductions over size-1 axes fail).
     */
    private SDVariable effectiveSquaredNorm(SDVariable w, SDVariable wh, SDVariable gate, SDVariable s, long rows, long units) {
        SDVariable onesRow = sd.constant(Nd4j.ones(type, 1, rows));
        SDVariable onesColumn = sd.constant(Nd4j.ones(type, units, 1));
        SDVariable a = onesRow.mmul(w.mul(wh));
        SDVariable c = onesRow.mmul(sd.math.square(wh));
        SDVariable cross = gate.mul(a).mmul(onesColumn).mul(s).mul(2.0);
        SDVariable quad = sd.math.square(gate).mul(c).mmul(onesColumn);
        return cross.add(quad).add(sd.math.square(s).mul(sd.math.square(w).sum()));
    }

    private SDVariable activate(SDVariable z, Activation a) {
        return switch (a) {
            case RELU -> sd.nn.relu(z, 0.0);
            case TANH -> sd.math.tanh(z);
            case IDENTITY -> z;
        };
    }

    private INDArray gaussian(Random rnd, double std, long... shape) {
        return Mlp.gaussian(rnd, std, shape).castTo(type);
    }

    /** The loss and its gradients with respect to {@code names}, for one feed. */
    public record LossAndGradients(double loss, ParamVector gradients) {
    }

    /**
     * Evaluates {@value #LOSS} and its gradient with respect to {@code names} (tensors without a path to the
     * loss get zeros), with SameDiff's reverse mode: only first-order gradients are needed here, and every op
     * of this graph has a correct SameDiff gradient (DESIGN.md's op probe); on this graph it measured faster
     * than evaluating a gradient appended by {@link org.hypergrad4j.autodiff.GradientTransform}.
     */
    public LossAndGradients lossAndGradients(Map<String, INDArray> feed, List<String> names) {
        for (String n : names) {
            if (!sd.hasVariable(n)) {
                throw new IllegalArgumentException("The network has no tensor named '" + n + "'.");
            }
        }
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(LOSS), names);
        Map<String, INDArray> g = new LinkedHashMap<>();
        for (String n : names) {
            INDArray gi = og.getGradients().get(n);
            INDArray value = sd.getVariable(n).getArr();
            g.put(n, gi == null ? Nd4j.zeros(type, value.shape()) : gi.reshape(value.shape()).dup());
        }
        double value = og.getOutputs().get(LOSS).getDouble(0);
        afterCall();
        return new LossAndGradients(value, ParamVector.wrap(g));
    }

    /**
     * The feed of one batch: inputs {@code x} [b, d], {@code targets} [b, outputs], perturbation noise {@code eps} [b][h],
     * the decay term on ({@code decayOn = 1}, training) or off (0), and each dropout site's mask from {@code masks} (mask
     * name → mask), or every mask one when {@code masks} is null (validation and evaluation: no dropout).
     */
    public Map<String, INDArray> feed(INDArray x, INDArray targets, double[][] eps, double decayOn, Map<String, INDArray> masks) {
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(INPUT, x.castTo(type));
        feed.put(TARGETS, targets.castTo(type));
        feed.put(EPSILON, Nd4j.create(eps).castTo(type));
        feed.put(DECAY_ON, Nd4j.valueArrayOf(new long[]{1, 1}, decayOn).castTo(type));
        for (DropoutSite site : dropoutSites) {
            feed.put(site.maskName(), masks == null ? Nd4j.ones(type, site.maskShape(eps.length)) : masks.get(site.maskName()));
        }
        return feed;
    }

    /**
     * Cross-entropy and accuracy of a classifier on inputs {@code x} and one-hot {@code targets} at the current {@code λ}
     * (no perturbation, dropout or decay term), in batches of {@code batch} rows.
     */
    public BilevelProblem.Evaluation evaluate(INDArray x, INDArray targets, int batch) {
        long n = x.size(0);
        double lossSum = 0;
        long correct = 0;
        for (long from = 0; from < n; from += batch) {
            long to = Math.min(n, from + batch);
            INDArray y = targets.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            Map<String, INDArray> out = output(feed(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), y,
                    new double[(int) (to - from)][hyperparameters.count()], 0.0, null), LOSS, LOGITS);
            lossSum += out.get(LOSS).getDouble(0) * (to - from);
            correct += out.get(LOGITS).argMax(1).eq(y.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
        }
        return new BilevelProblem.Evaluation(lossSum / n, (double) correct / n);
    }

    /** Outputs {@code names} for one feed (copies). */
    public Map<String, INDArray> output(Map<String, INDArray> feed, String... names) {
        Map<String, INDArray> out = sd.output(feed, names);
        Map<String, INDArray> copy = new LinkedHashMap<>();
        out.forEach((k, v) -> copy.put(k, v.dup()));
        afterCall();
        return copy;
    }

    private void afterCall() {
        // SameDiff's inference sessions keep freed arrays reachable; clearing them keeps the heap flat.
        if (++calls % CLEAR_SESSIONS_EVERY == 0) {
            sd.getSessions().clear();
        }
    }

    /** The network's weights (all layers' W, b, W', b', U_w, U_b, s; not λ or ρ), as live arrays. */
    public ParamVector weights() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : weightNames) {
            m.put(n, sd.getVariable(n).getArr());
        }
        return ParamVector.wrap(m);
    }

    public List<String> weightNames() {
        return weightNames;
    }

    /** Names of the hyper-step variables: {@code λ} and {@code ρ}. */
    public List<String> hyperparameterNames() {
        return List.of(StnHyperparameters.LAMBDA, StnHyperparameters.SCALE);
    }

    public StnHyperparameters hyperparameters() {
        return hyperparameters;
    }

    public List<DropoutSite> dropoutSites() {
        return dropoutSites;
    }

    public List<LayerTensors> layers() {
        return layers;
    }

    public DataType dataType() {
        return type;
    }

    public int inputFeatures() {
        return inputFeatures;
    }

    public int outputs() {
        return outputs;
    }

    public Loss lossKind() {
        return loss;
    }

    /** The array of tensor {@code name} (live). */
    public INDArray array(String name) {
        if (!sd.hasVariable(name) || sd.getVariable(name).getArr() == null) {
            throw new IllegalArgumentException("The network has no tensor named '" + name + "'.");
        }
        return sd.getVariable(name).getArr();
    }

    /**
     * The effective weight of best-response layer {@code layer} at unconstrained hyperparameters {@code u} [h]:
     * {@code W_eff(u) = s·W + W' diag(u U_w)}, as [fan-in, units] (a convolution's kernel flattened to
     * [k·k·in, filters]). The layer's output is {@code x W_eff(u)} plus the bias terms.
     */
    public INDArray effectiveWeight(int layer, double[] u) {
        LayerTensors t = layers.get(layer);
        INDArray gate = Nd4j.createFromArray(u).reshape(1, u.length).castTo(type).mmul(array(t.gateWeight()));
        return flat(t.weight()).mul(array(t.scale()).getDouble(0)).add(flat(t.hyperWeight()).mulRowVector(gate));
    }

    /**
     * The best response's derivative along hyperparameter {@code j}: {@code ∂W_eff/∂u_j = W' diag(U_w[j, :])},
     * [fan-in, units]; constant in {@code u}, since the structured best response is affine in the gate.
     */
    public INDArray effectiveWeightDerivative(int layer, int j) {
        LayerTensors t = layers.get(layer);
        return flat(t.hyperWeight()).mulRowVector(array(t.gateWeight()).getRow(j));
    }

    private INDArray flat(String name) {
        INDArray a = array(name);
        return a.rank() == 2 ? a : a.reshape(-1, a.size(a.rank() - 1));
    }

    public String describe() {
        return "STN " + inputFeatures + " → " + layers.size() + " best-response layers → " + outputs + " (" + loss + "; hyperparameters "
                + hyperparameters.names() + ")";
    }

    public static Builder builder(int inputFeatures, StnHyperparameters hyperparameters) {
        return new Builder(inputFeatures, hyperparameters);
    }

    private sealed interface LayerSpec permits LinearSpec, ConvSpec, DropoutSpec, PoolSpec {
    }

    private record LinearSpec(int units, Activation activation, boolean bias) implements LayerSpec {
    }

    private record ConvSpec(int filters, int kernel, Activation activation) implements LayerSpec {
    }

    private record DropoutSpec(String hyperparameter, boolean channels) implements LayerSpec {
    }

    private record PoolSpec(int size) implements LayerSpec {
    }

    /** Describes the network layer by layer; {@link #build()} makes the graph. */
    public static final class Builder {
        private final int inputFeatures;
        private final StnHyperparameters hyperparameters;
        private final List<LayerSpec> specs = new ArrayList<>();
        private long[] imageShape;
        private DataType type = DataType.FLOAT;
        private long seed = 0;
        private Loss loss = Loss.CROSS_ENTROPY;
        private String decayHyperparameter;

        private Builder(int inputFeatures, StnHyperparameters hyperparameters) {
            if (inputFeatures < 1) {
                throw new IllegalArgumentException("inputFeatures must be ≥ 1; got " + inputFeatures + ".");
            }
            this.inputFeatures = inputFeatures;
            this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
        }

        /** Treat the input as images of this shape (channels·height·width must equal the feature count). */
        public Builder imageShape(int channels, int height, int width) {
            if ((long) channels * height * width != inputFeatures) {
                throw new IllegalArgumentException("Image shape " + channels + "×" + height + "×" + width + " has " + (long) channels * height * width
                        + " values but the input has " + inputFeatures + " features.");
            }
            imageShape = new long[]{channels, height, width};
            return this;
        }

        public Builder dataType(DataType t) {
            this.type = Objects.requireNonNull(t, "type");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder loss(Loss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /** Adds {@code decay(λ̂)·Σ‖W_eff(λ̂)‖²} to the training loss, {@code decay} the log-scale hyperparameter {@code name}. */
        public Builder weightDecay(String name) {
            hyperparameters.indexOf(name);
            this.decayHyperparameter = name;
            return this;
        }

        /** Inverted dropout on the current activation, at the rate given by hyperparameter {@code name}. */
        public Builder dropout(String name) {
            hyperparameters.indexOf(name);
            specs.add(new DropoutSpec(name, false));
            return this;
        }

        /**
         * Inverted channel dropout (PyTorch's {@code dropout2d}, as the STN authors' CNNs use after their convolutions):
         * each channel of an image activation is kept whole, scaled by {@code 1/(1 − p)}, or zeroed whole, with rate
         * {@code p} given by hyperparameter {@code name}. Its mask has shape [b, channels, 1, 1].
         */
        public Builder channelDropout(String name) {
            hyperparameters.indexOf(name);
            specs.add(new DropoutSpec(name, true));
            return this;
        }

        public Builder linear(int units, Activation activation) {
            return addLinear(units, activation, true);
        }

        /** A linear layer without bias (for models whose closed form has none, such as ridge regression). */
        public Builder linearNoBias(int units, Activation activation) {
            return addLinear(units, activation, false);
        }

        /** The output layer: linear, no activation. */
        public Builder output(int units) {
            return addLinear(units, Activation.IDENTITY, true);
        }

        /** Convolution with a square kernel, stride 1, SAME padding. */
        public Builder conv(int filters, int kernel, Activation activation) {
            if (filters < 1 || kernel < 1) {
                throw new IllegalArgumentException("A convolution needs filters ≥ 1 and kernel ≥ 1; got " + filters + ", " + kernel + ".");
            }
            specs.add(new ConvSpec(filters, kernel, activation));
            return this;
        }

        /** Non-overlapping max-pooling over {@code size}×{@code size} windows. */
        public Builder maxPool(int size) {
            if (size < 2) {
                throw new IllegalArgumentException("Pooling size must be ≥ 2; got " + size + ".");
            }
            specs.add(new PoolSpec(size));
            return this;
        }

        private Builder addLinear(int units, Activation activation, boolean bias) {
            if (units < 1) {
                throw new IllegalArgumentException("A linear layer needs units ≥ 1; got " + units + ".");
            }
            specs.add(new LinearSpec(units, Objects.requireNonNull(activation, "activation"), bias));
            return this;
        }

        public StnNetwork build() {
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("The network has no layers.");
            }
            return new StnNetwork(this);
        }
    }
}
