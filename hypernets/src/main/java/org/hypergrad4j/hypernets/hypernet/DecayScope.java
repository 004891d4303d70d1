package org.hypergrad4j.hypernets.hypernet;

/**
 * How many weight-decay hyperparameters the classifier has. The decay term of the training loss is
 * {@code Σ_j exp(λ_j) W_j²} over the classifier's weight matrix {@code W} (flattened in C order, biases not
 * decayed), with {@code λ_j = λ} for {@link #GLOBAL} and one {@code λ_j} per weight for {@link #PER_WEIGHT}
 * (Lorraine and Duvenaud's thousands-of-hyperparameters setting). This is the same term as the bilevel
 * module's {@code WeightDecay} with the log constraint.
 */
public enum DecayScope {
    /** One scalar {@code λ}: decay {@code exp(λ) Σ_j W_j²}. */
    GLOBAL,
    /** One {@code λ_j} per weight: decay {@code Σ_j exp(λ_j) W_j²}. */
    PER_WEIGHT;

    /** The number of hyperparameters for a classifier with {@code weights} decayed weights. */
    public int hyperparameterCount(int weights) {
        return this == GLOBAL ? 1 : weights;
    }
}
