package org.hypergrad4j.bilevel.optim;

import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015): {@code m ← β₁m + (1−β₁)g}, {@code s ← β₂s + (1−β₂)g²},
 * {@code θ ← θ − η · m̂ / (√ŝ + ε)} with bias corrections {@code m̂ = m/(1−β₁ᵗ)}, {@code ŝ = s/(1−β₂ᵗ)}.
 */
public final class Adam extends BufferedOptimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Adam learning rate must be positive and finite, got " + learningRate + ".");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must lie in [0, 1), got " + beta1 + " and " + beta2 + ".");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon + ".");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(ParamVector params, ParamVector gradient) {
        params.checkCompatible(gradient);
        ParamVector m = buffer("m", params);
        ParamVector s = buffer("s", params);
        long t = countStep();
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (String name : params.names()) {
            INDArray g = gradient.get(name);
            INDArray mi = m.get(name);
            INDArray si = s.get(name);
            mi.muli(beta1).addi(g.mul(1 - beta1));
            si.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denom = Transforms.sqrt(si.div(c2), true).addi(epsilon);
            params.get(name).subi(mi.div(c1).divi(denom).muli(learningRate));
        }
    }

    @Override
    public String describe() {
        return "Adam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
    }
}
