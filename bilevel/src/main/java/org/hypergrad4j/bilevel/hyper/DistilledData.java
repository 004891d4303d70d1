package org.hypergrad4j.bilevel.hyper;

/**
 * Dataset distillation (Wang et al. 2018; Lorraine et al. 2020, experiment (b)): the model is trained on
 * {@code perClass × classes} learned inputs with fixed labels ({@code i mod classes}) instead of the
 * training data; every input value is a hyperparameter (no constraint). The training loss becomes
 * {@code CE(f_w(X_d), Y_d)} plus any weight decay; the training data serve only to size the inputs.
 *
 * @param perClass     learned examples per class, at least 1
 * @param initialValue the initial value of every input entry (the paper starts at 0)
 */
public record DistilledData(int perClass, double initialValue) implements HyperparameterKind {
    public DistilledData {
        if (perClass < 1) {
            throw new IllegalArgumentException("Distillation needs at least 1 learned example per class, got " + perClass + ".");
        }
        if (!Double.isFinite(initialValue)) {
            throw new IllegalArgumentException("The initial value of distilled inputs must be finite, got " + initialValue + ".");
        }
    }

    /** One learned example per class, started at zero. */
    public static DistilledData onePerClass() {
        return new DistilledData(1, 0.0);
    }

    @Override
    public String describe() {
        return "distilled training data (" + perClass + " per class, initial " + initialValue + ")";
    }
}
