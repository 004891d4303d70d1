package org.hypergrad4j.hypergrad;

/**
 * A hypergradient method that owns the inner steps: from the current weights it trains them through its own
 * schedule and differentiates through that training (reverse- and forward-mode unrolling), leaving the trained
 * weights in place. It replaces a training loop's inner steps rather than following them
 * ({@code UnrolledJointTrainer}).
 */
public interface HypergradientThroughTraining extends HypergradientMethod {
}
