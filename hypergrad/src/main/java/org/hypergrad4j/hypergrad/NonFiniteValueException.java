package org.hypergrad4j.hypergrad;

/** NaN or infinity appeared in a loss, gradient, product or hypergradient; names the stage and tensor. */
public class NonFiniteValueException extends RuntimeException {
    private final String stage;
    private final String tensor;

    public NonFiniteValueException(String stage, String tensor) {
        super("NaN or infinity in " + stage + (tensor == null ? "" : " (tensor '" + tensor + "')")
                + ". Check the learning rates, the hyperparameters' range and the data for NaN.");
        this.stage = stage;
        this.tensor = tensor;
    }

    /** The computation stage, e.g. {@code "validation gradient ∂L_V/∂w"}. */
    public String stage() {
        return stage;
    }

    /** The first offending tensor, or {@code null} for a scalar. */
    public String tensor() {
        return tensor;
    }

    /** Throws if {@code v} holds a non-finite entry. */
    static void check(String stage, org.hypergrad4j.core.ParamVector v) {
        if (!v.isEmpty()) {
            String bad = v.firstNonFinite();
            if (bad != null) {
                throw new NonFiniteValueException(stage, bad);
            }
        }
    }

    /** Throws if {@code x} is not finite. */
    static void check(String stage, double x) {
        if (!Double.isFinite(x)) {
            throw new NonFiniteValueException(stage, null);
        }
    }
}
