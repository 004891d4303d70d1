package org.hypergrad4j.bilevel.optim;

import org.hypergrad4j.core.ParamVector;

/**
 * Stochastic gradient descent with optional (heavy-ball or Nesterov) momentum:
 * {@code m ← μ m + g}; {@code θ ← θ − η m} (heavy ball) or {@code θ ← θ − η (g + μ m)} (Nesterov).
 * {@code μ = 0} is plain SGD.
 */
public final class Sgd extends BufferedOptimizer {
    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;

    public Sgd(double learningRate, double momentum, boolean nesterov) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("SGD learning rate must be positive and finite, got " + learningRate + ".");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must lie in [0, 1), got " + momentum + ".");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    public Sgd(double learningRate) {
        this(learningRate, 0.0, false);
    }

    @Override
    public void step(ParamVector params, ParamVector gradient) {
        params.checkCompatible(gradient);
        if (momentum == 0) {
            params.axpyInPlace(-learningRate, gradient);
        } else {
            ParamVector velocity = buffer("velocity", params);
            velocity.scaleInPlace(momentum).axpyInPlace(1.0, gradient);
            if (nesterov) {
                params.axpyInPlace(-learningRate, gradient).axpyInPlace(-learningRate * momentum, velocity);
            } else {
                params.axpyInPlace(-learningRate, velocity);
            }
        }
        countStep();
    }

    @Override
    public String describe() {
        return "SGD(lr=" + learningRate + (momentum > 0 ? ", momentum=" + momentum + (nesterov ? ", Nesterov" : "") : "") + ")";
    }
}
