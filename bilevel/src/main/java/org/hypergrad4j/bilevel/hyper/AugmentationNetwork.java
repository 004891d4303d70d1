package org.hypergrad4j.bilevel.hyper;

/**
 * A learned data-augmentation network applied to the training inputs only (Lorraine et al. 2020,
 * experiment (c), with a residual MLP in place of their U-Net): {@code x' = x + tanh(x A₁ + c₁) A₂},
 * every entry of {@code A₁ [d, hidden]}, {@code c₁ [1, hidden]} and {@code A₂ [hidden, d]} a hyperparameter.
 * {@code A₂} starts at zero, so training starts unaugmented; {@code A₁} starts at {@code N(0, scale²/d)}.
 *
 * @param hidden width of the network's hidden layer, at least 1
 * @param scale  standard deviation factor of {@code A₁}'s initialisation, positive
 * @param seed   seeds {@code A₁}'s initialisation
 */
public record AugmentationNetwork(int hidden, double scale, long seed) implements HyperparameterKind {
    public AugmentationNetwork {
        if (hidden < 1) {
            throw new IllegalArgumentException("The augmentation network needs at least 1 hidden unit, got " + hidden + ".");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("The augmentation network's initial scale must be positive and finite, got " + scale + ".");
        }
    }

    @Override
    public String describe() {
        return "augmentation network (residual MLP, " + hidden + " hidden units)";
    }
}
