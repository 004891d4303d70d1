package org.hypergrad4j.bilevel.hyper;

/**
 * A kind of hyperparameter and its documented effect on the training loss; {@code BilevelProblem} builds
 * the graph for each. Every kind holds raw tensors {@code θ} moved by the outer optimiser and a
 * {@link Constraint} giving the effective value {@code c(θ)}.
 */
public sealed interface HyperparameterKind permits WeightDecay, ExampleWeights, DistilledData, AugmentationNetwork, DropoutRates {

    /** A short description for logs and run folders. */
    String describe();
}
