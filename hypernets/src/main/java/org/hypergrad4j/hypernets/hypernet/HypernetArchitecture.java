package org.hypergrad4j.hypernets.hypernet;

import java.util.Arrays;
import java.util.Objects;
import org.hypergrad4j.bilevel.model.Mlp;

/**
 * The shape of a hypernetwork {@code h_φ} that maps hyperparameters {@code λ} to a classifier's weights
 * {@code θ}: a linear map or an MLP with 1–3 hidden layers, optionally with either or both parts of the
 * magnitude-invariant parametrisation (MIP, Ortiz et al. 2024):
 * <ul>
 *   <li>input encoding: {@code λ} is mapped to {@code γ ∈ [0, 1]} by its {@link HyperparameterRange} and fed as
 *       {@code E(γ) = [cos(πγ/2), sin(πγ/2)]} (per hyperparameter), whose norm is 1 for every {@code γ};
 *       without it the hypernetwork sees {@code λ} itself, as in Lorraine and Duvenaud (2018);</li>
 *   <li>residual output: {@code θ = θ₀ + h_φ(E(γ))} with {@code θ₀} a learned weight set initialised
 *       independently of {@code φ} (Kaiming); without it {@code θ = h_φ(·)}.</li>
 * </ul>
 *
 * @param hiddenWidths          widths of the hidden layers (0 to 3 layers; none means a linear hypernetwork)
 * @param activation            the hidden layers' nonlinearity (unused by a linear hypernetwork)
 * @param magnitudeInvariantInput whether the input is the encoding {@code E(γ)}
 * @param residual              whether the output is {@code θ₀ + h}
 */
public record HypernetArchitecture(int[] hiddenWidths, Mlp.Activation activation, boolean magnitudeInvariantInput, boolean residual) {

    /** The largest number of hidden layers (Lorraine and Duvenaud use linear to 3-layer hypernetworks). */
    public static final int MAX_HIDDEN_LAYERS = 3;

    public HypernetArchitecture {
        Objects.requireNonNull(hiddenWidths, "hiddenWidths");
        Objects.requireNonNull(activation, "activation");
        if (hiddenWidths.length > MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("A hypernetwork has at most " + MAX_HIDDEN_LAYERS + " hidden layers, got "
                    + hiddenWidths.length + " (" + Arrays.toString(hiddenWidths) + ").");
        }
        for (int w : hiddenWidths) {
            if (w < 1) {
                throw new IllegalArgumentException("Hypernetwork hidden widths must be at least 1, got " + Arrays.toString(hiddenWidths) + ".");
            }
        }
        hiddenWidths = hiddenWidths.clone();
    }

    /** A linear hypernetwork {@code θ = λA + c}, without MIP. */
    public static HypernetArchitecture linear() {
        return new HypernetArchitecture(new int[0], Mlp.Activation.RELU, false, false);
    }

    /** An MLP hypernetwork with the given hidden widths (1 to 3 layers), without MIP. */
    public static HypernetArchitecture mlp(Mlp.Activation activation, int... hiddenWidths) {
        if (hiddenWidths.length == 0) {
            throw new IllegalArgumentException("An MLP hypernetwork needs 1 to " + MAX_HIDDEN_LAYERS
                    + " hidden layers; use HypernetArchitecture.linear() for none.");
        }
        return new HypernetArchitecture(hiddenWidths, activation, false, false);
    }

    /** This architecture with the full MIP: encoded input and residual output. */
    public HypernetArchitecture withMagnitudeInvariance() {
        return new HypernetArchitecture(hiddenWidths, activation, true, true);
    }

    /** Ablation: encoded input only, no residual. */
    public HypernetArchitecture withEncodingOnly() {
        return new HypernetArchitecture(hiddenWidths, activation, true, false);
    }

    /** Ablation: residual output only, raw input. */
    public HypernetArchitecture withResidualOnly() {
        return new HypernetArchitecture(hiddenWidths, activation, false, true);
    }

    @Override
    public int[] hiddenWidths() {
        return hiddenWidths.clone();
    }

    /** Whether this is a linear hypernetwork (no hidden layer). */
    public boolean isLinear() {
        return hiddenWidths.length == 0;
    }

    /** e.g. {@code "MLP[32] relu, MIP (encoding + residual)"}. */
    public String describe() {
        String body = isLinear() ? "linear" : "MLP" + Arrays.toString(hiddenWidths) + " " + activation.name().toLowerCase();
        String mip = magnitudeInvariantInput && residual ? "MIP (encoding + residual)"
                : magnitudeInvariantInput ? "MIP encoding only" : residual ? "MIP residual only" : "plain";
        return body + ", " + mip;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HypernetArchitecture a && Arrays.equals(hiddenWidths, a.hiddenWidths) && activation == a.activation
                && magnitudeInvariantInput == a.magnitudeInvariantInput && residual == a.residual;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hiddenWidths), activation, magnitudeInvariantInput, residual);
    }

    @Override
    public String toString() {
        return describe();
    }
}
