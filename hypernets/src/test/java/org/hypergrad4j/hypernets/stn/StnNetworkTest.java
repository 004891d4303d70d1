package org.hypergrad4j.hypernets.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The best-response network's loss and gradients, in float64, against central differences and the formula. */
class StnNetworkTest {
    private static final int BATCH = 4;

    private static StnHyperparameters hyperparameters() {
        return new StnHyperparameters(List.of(StnHyperparameter.dropout("drop", 0.3), StnHyperparameter.logScale("decay", 1e-3, 1.0, 0.05),
                StnHyperparameter.discrete("length", 0, 4, 2)), 0.5);
    }

    /** conv(2, 3×3, tanh) → pool 2 → dropout → linear(3, tanh) → output(3), with weight decay: every layer kind at once. */
    private static StnNetwork network(StnHyperparameters hp) {
        return StnNetwork.builder(16, hp).imageShape(1, 4, 4).dataType(DataType.DOUBLE).seed(7).weightDecay("decay")
                .conv(2, 3, StnNetwork.Activation.TANH).maxPool(2).dropout("drop").linear(3, StnNetwork.Activation.TANH).output(3).build();
    }

    private static Map<String, INDArray> feed(StnNetwork net, double decayOn, long seed) {
        Random rnd = new Random(seed);
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(StnNetwork.INPUT, Nd4j.randn(DataType.DOUBLE, BATCH, 16).muli(1.0 + rnd.nextDouble()));
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, 3);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, rnd.nextInt(3), 1.0);
        }
        feed.put(StnNetwork.TARGETS, labels);
        feed.put(StnNetwork.EPSILON, Nd4j.randn(DataType.DOUBLE, BATCH, 3));
        feed.put(StnNetwork.DECAY_ON, Nd4j.valueArrayOf(new long[]{1, 1}, decayOn));
        for (StnNetwork.DropoutSite site : net.dropoutSites()) {
            long[] shape = {BATCH, site.shape()[0], site.shape()[1], site.shape()[2]};
            INDArray mask = Nd4j.rand(DataType.DOUBLE, shape).gt(0.3).castTo(DataType.DOUBLE).muli(1 / 0.7);
            feed.put(site.maskName(), mask);
        }
        return feed;
    }

    @Test
    void gradientsOfWeightsAndHyperparametersMatchCentralDifferences() {
        Nd4j.getRandom().setSeed(1);
        StnNetwork net = network(hyperparameters());
        for (double decayOn : new double[]{1.0, 0.0}) {
            Map<String, INDArray> feed = feed(net, decayOn, 3);
            double worst = assertGradientsMatchCentralDifferences(net, feed, " (decayOn " + decayOn + ")");
            System.out.printf("STN gradient check, decayOn=%.0f: worst relative error %.2e%n", decayOn, worst);
        }
    }

    /** conv(2, 3×3, tanh) → channel dropout → pool 2 → linear(3, tanh) → output(3), or with element dropout at the same place. */
    private static StnNetwork convDropoutNetwork(StnHyperparameters hp, boolean channels) {
        StnNetwork.Builder b = StnNetwork.builder(16, hp).imageShape(1, 4, 4).dataType(DataType.DOUBLE).seed(7).weightDecay("decay")
                .conv(2, 3, StnNetwork.Activation.TANH);
        b = channels ? b.channelDropout("drop") : b.dropout("drop");
        return b.maxPool(2).linear(3, StnNetwork.Activation.TANH).output(3).build();
    }

    @Test
    void channelDropoutGradientsMatchCentralDifferences() {
        Nd4j.getRandom().setSeed(2);
        StnNetwork net = convDropoutNetwork(hyperparameters(), true);
        assertEquals(List.of(2L, 1L, 1L), java.util.Arrays.stream(net.dropoutSites().get(0).shape()).boxed().toList(), "one mask entry per channel");
        assertGradientsMatchCentralDifferences(net, feed(net, 1.0, 6), "");
    }

    /**
     * Asserts that every entry of the loss's gradient with respect to every weight and hyperparameter matches the float64
     * central difference (step 1e-6) to 1e-5 relative (to at least 1e-3 absolute); returns the worst relative error.
     */
    private static double assertGradientsMatchCentralDifferences(StnNetwork net, Map<String, INDArray> feed, String context) {
        List<String> names = new ArrayList<>(net.weightNames());
        names.addAll(net.hyperparameterNames());
        ParamVector analytic = net.lossAndGradients(feed, names).gradients();
        double worst = 0;
        for (String n : names) {
            INDArray p = net.array(n);
            INDArray g = analytic.get(n);
            for (long k = 0; k < p.length(); k++) {
                double x0 = p.getDouble(k);
                double h = 1e-6;
                p.putScalar(k, x0 + h);
                double up = net.lossAndGradients(feed, List.of(n)).loss();
                p.putScalar(k, x0 - h);
                double down = net.lossAndGradients(feed, List.of(n)).loss();
                p.putScalar(k, x0);
                double numeric = (up - down) / (2 * h);
                double err = Math.abs(numeric - g.getDouble(k)) / Math.max(1e-3, Math.abs(numeric));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-5, n + "[" + k + "] analytic " + g.getDouble(k) + " vs central " + numeric + context);
            }
        }
        return worst;
    }

    /** Closed form: a channel mask m[b, c] acts as the element mask whose every pixel of channel c is m[b, c]. */
    @Test
    void channelDropoutIsElementDropoutWithTheMaskConstantOverEachChannel() {
        StnNetwork channel = convDropoutNetwork(hyperparameters(), true);
        StnNetwork element = convDropoutNetwork(hyperparameters(), false);
        Map<String, INDArray> feed = feed(channel, 1.0, 8);
        INDArray m = feed.get(channel.dropoutSites().get(0).maskName());
        assertTrue(m.eq(0).any() && m.neq(0).any(), "the mask drops some channels and keeps others");
        Map<String, INDArray> spread = new LinkedHashMap<>(feed);
        spread.put(element.dropoutSites().get(0).maskName(), m.repeat(2, 4).repeat(3, 4));
        assertEquals(List.of((long) BATCH, 2L, 4L, 4L), java.util.Arrays.stream(spread.get("mask.0").shape()).boxed().toList());
        INDArray a = channel.output(feed, StnNetwork.LOGITS).get(StnNetwork.LOGITS);
        INDArray b = element.output(spread, StnNetwork.LOGITS).get(StnNetwork.LOGITS);
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 1e-12);
        List<String> names = new ArrayList<>(channel.weightNames());
        names.addAll(channel.hyperparameterNames());
        ParamVector ga = channel.lossAndGradients(feed, names).gradients();
        ParamVector gb = element.lossAndGradients(spread, names).gradients();
        assertEquals(0.0, ga.sub(gb).normMax(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class,
                () -> StnNetwork.builder(16, hyperparameters()).channelDropout("drop").linear(3, StnNetwork.Activation.TANH).output(3).build());
        assertTrue(e.getMessage().contains("needs an image activation"), e.getMessage());
    }

    @Test
    void decayTermIsTheMeanOfEachExamplesDecayTimesItsEffectiveSquaredNorm() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp);
        Map<String, INDArray> feed = feed(net, 1.0, 4);
        double withDecay = net.lossAndGradients(feed, List.of()).loss();
        feed.put(StnNetwork.DECAY_ON, Nd4j.zeros(DataType.DOUBLE, 1, 1));
        double without = net.lossAndGradients(feed, List.of()).loss();
        double[][] eps = feed.get(StnNetwork.EPSILON).toDoubleMatrix();
        double[][] u = hp.perturbed(eps);
        double expected = 0;
        for (double[] row : u) {
            double decay = hp.spec("decay").value(row[1]);
            double norm = 0;
            for (int layer = 0; layer < net.layers().size(); layer++) {
                norm += net.effectiveWeight(layer, row).norm2Number().doubleValue() * net.effectiveWeight(layer, row).norm2Number().doubleValue();
            }
            expected += decay * norm / u.length;
        }
        assertEquals(expected, withDecay - without, 1e-10 * Math.max(1, expected));
    }

    @Test
    void gatesAreTheOnlyPathFromHyperparametersToTheValidationLoss() {
        StnHyperparameters hp = hyperparameters();
        StnNetwork net = network(hp);
        for (StnNetwork.LayerTensors t : net.layers()) {
            net.array(t.gateWeight()).assign(0);
            net.array(t.gateBias()).assign(0);
        }
        ParamVector g = net.lossAndGradients(feed(net, 0.0, 5), net.hyperparameterNames()).gradients();
        assertEquals(0.0, g.norm2(), 0.0, "with zero gates the validation loss cannot depend on λ or ρ");
    }

    @Test
    void badDefinitionsAreRejectedWithTheirReason() {
        StnHyperparameters hp = hyperparameters();
        var e1 = assertThrows(IllegalArgumentException.class, () -> StnNetwork.builder(16, hp).imageShape(1, 4, 5));
        assertTrue(e1.getMessage().contains("20 values but the input has 16"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> StnNetwork.builder(16, hp).dropout("nope"));
        assertTrue(e2.getMessage().contains("'nope'"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> StnNetwork.builder(16, hp).weightDecay("drop").output(2).build());
        assertTrue(e3.getMessage().contains("must be log-scale"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> StnNetwork.builder(16, hp).conv(2, 3, StnNetwork.Activation.RELU).output(2).build());
        assertTrue(e4.getMessage().contains("imageShape"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> StnNetwork.builder(16, hp).linear(4, StnNetwork.Activation.RELU).build());
        assertTrue(e5.getMessage().contains("must end with output"), e5.getMessage());
    }

    @Test
    void hyperparameterMapsHitTheirRangesAndInvert() {
        StnHyperparameter drop = StnHyperparameter.dropout("d", 0.05);
        assertEquals(0.05, drop.value(drop.unconstrained(0.05)), 1e-12);
        assertEquals(StnHyperparameter.MAX_DROPOUT, drop.value(50), 1e-12);
        assertEquals(0.0, drop.value(-50), 1e-12);
        StnHyperparameter decay = StnHyperparameter.logScale("w", 1e-4, 1e-1, 1e-2);
        assertEquals(1e-2, decay.value(decay.unconstrained(1e-2)), 1e-14);
        StnHyperparameter holes = StnHyperparameter.discrete("h", 0, 3, 2);
        assertEquals(2.0, holes.value(holes.unconstrained(2)), 0.0);
        assertEquals(3.0, holes.value(40), 0.0, "the top value is reachable");
        assertEquals(0.0, holes.value(-40), 0.0);
        // Each integer is the value on an interval of u, and the start sits inside it, not on an edge.
        assertEquals(2.0, holes.value(holes.unconstrained(2) + 0.1), 0.0);
        assertEquals(2.0, holes.value(holes.unconstrained(2) - 0.1), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> StnHyperparameter.dropout("d", 0.99));
        assertTrue(e.getMessage().contains("outside its range [0.0, 0.95]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> StnHyperparameter.logScale("w", 0, 1, 0.5));
        assertTrue(e2.getMessage().contains("lower > 0"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new StnHyperparameters(List.of(drop, StnHyperparameter.dropout("d", 0.1))));
        assertTrue(e3.getMessage().contains("'d' appears twice"), e3.getMessage());
    }

    @Test
    void entropyGradientMatchesCentralDifferences() {
        StnHyperparameters hp = hyperparameters();
        hp.scaleRaw().putScalar(0, 1, -0.7);
        INDArray g = hp.entropyGradient(DataType.DOUBLE);
        for (int j = 0; j < hp.count(); j++) {
            double r = hp.scaleRaw().getDouble(0, j);
            hp.scaleRaw().putScalar(0, j, r + 1e-6);
            double up = hp.entropy();
            hp.scaleRaw().putScalar(0, j, r - 1e-6);
            double down = hp.entropy();
            hp.scaleRaw().putScalar(0, j, r);
            assertEquals((up - down) / 2e-6, g.getDouble(0, j), 1e-7);
        }
    }
}
