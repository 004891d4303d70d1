package org.hypergrad4j.bilevel.optim;

import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSprop (Tieleman and Hinton 2012), the outer optimiser of Lorraine et al.'s code:
 * {@code s ← ρ s + (1 − ρ) g²}, {@code θ ← θ − η g / (√s + ε)}.
 */
public final class RmsProp extends BufferedOptimizer {
    private final double learningRate;
    private final double decay;
    private final double epsilon;

    public RmsProp(double learningRate, double decay, double epsilon) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("RMSprop learning rate must be positive and finite, got " + learningRate + ".");
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("RMSprop decay ρ must lie in [0, 1), got " + decay + ".");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("RMSprop epsilon must be positive, got " + epsilon + ".");
        }
        this.learningRate = learningRate;
        this.decay = decay;
        this.epsilon = epsilon;
    }

    /** RMSprop with ρ = 0.99 and ε = 1e-8. */
    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8);
    }

    @Override
    public void step(ParamVector params, ParamVector gradient) {
        params.checkCompatible(gradient);
        ParamVector s = buffer("s", params);
        for (String name : params.names()) {
            INDArray g = gradient.get(name);
            INDArray si = s.get(name);
            si.muli(decay).addi(g.mul(g).muli(1 - decay));
            params.get(name).subi(g.div(Transforms.sqrt(si, true).addi(epsilon)).muli(learningRate));
        }
        countStep();
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + learningRate + ", rho=" + decay + ")";
    }
}
