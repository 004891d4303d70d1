package org.hypergrad4j.hypergrad;

/**
 * A hypergradient method that differentiates at the weights it is given: it treats them as an approximate inner
 * optimum {@code w*(λ)}, reads them and never changes them (the implicit methods). A training loop that runs the
 * inner steps itself ({@code JointTrainer}) takes only these, so that a method which trains the weights again
 * cannot be passed to it.
 */
public interface HypergradientAtWeights extends HypergradientMethod {
}
