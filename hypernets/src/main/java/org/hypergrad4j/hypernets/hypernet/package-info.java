/**
 * Hypernetwork-based hyperparameter optimisation (Lorraine and Duvenaud 2018) with the optional
 * magnitude-invariant parametrisation (Ortiz et al. 2024): a {@link org.hypergrad4j.hypernets.hypernet.HypernetworkObjective}
 * maps weight-decay hyperparameters to a linear classifier's weights, and a
 * {@link org.hypergrad4j.hypernets.hypernet.HypernetTrainer} trains it globally (over a distribution of
 * hyperparameters, then tunes them on the predicted validation loss) or jointly (locally around the current
 * hyperparameters, alternating with hyper-steps), with listeners, checkpoints and NaN recovery.
 */
package org.hypergrad4j.hypernets.hypernet;
