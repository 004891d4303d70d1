package org.hypergrad4j.bilevel.train;

/**
 * Settings of the joint training loop (Lorraine et al. 2020): {@code hyperSteps} times, run
 * {@code innerSteps} optimiser steps on the weights, then one step on the hyperparameters.
 *
 * @param hyperSteps      outer iterations, at least 1
 * @param innerSteps      weight updates per outer iteration, at least 1
 * @param batchSize       training minibatch size for weight updates; 0 for full batch
 * @param seed            seeds the minibatch order (batch {@code s} is a function of {@code seed} and {@code s})
 * @param rawLowerBound   projection of the raw hyperparameters θ after each outer step: lower bound
 * @param rawUpperBound   upper bound ({@code ±∞} for none)
 * @param hyperBatchSize  examples of the training and of the validation set that each hypergradient uses
 *                        (minibatches drawn per hyper-step from the seed, as in Lorraine et al.); 0 for both
 *                        whole sets; the training loss reported after each hyper-step is then that of the
 *                        hyper-step's training minibatch
 */
public record TrainerConfig(int hyperSteps, int innerSteps, int batchSize, long seed, double rawLowerBound, double rawUpperBound,
                            int hyperBatchSize) {
    public TrainerConfig {
        if (hyperSteps < 1) {
            throw new IllegalArgumentException("hyperSteps must be at least 1, got " + hyperSteps + ".");
        }
        if (innerSteps < 1) {
            throw new IllegalArgumentException("innerSteps must be at least 1, got " + innerSteps + ".");
        }
        if (hyperBatchSize < 0) {
            throw new IllegalArgumentException("hyperBatchSize must be 0 (whole sets) or positive, got " + hyperBatchSize + ".");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be 0 (full batch) or positive, got " + batchSize + ".");
        }
        if (!(rawLowerBound < rawUpperBound)) {
            throw new IllegalArgumentException("The projection bounds need lower < upper, got [" + rawLowerBound + ", " + rawUpperBound + "].");
        }
    }

    /** Full batch, seed 0, no projection, whole sets for the hypergradient. */
    public static TrainerConfig of(int hyperSteps, int innerSteps) {
        return new TrainerConfig(hyperSteps, innerSteps, 0, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0);
    }

    public TrainerConfig withHyperBatchSize(int size) {
        return new TrainerConfig(hyperSteps, innerSteps, batchSize, seed, rawLowerBound, rawUpperBound, size);
    }

    public TrainerConfig withBatchSize(int size) {
        return new TrainerConfig(hyperSteps, innerSteps, size, seed, rawLowerBound, rawUpperBound, hyperBatchSize);
    }

    public TrainerConfig withSeed(long s) {
        return new TrainerConfig(hyperSteps, innerSteps, batchSize, s, rawLowerBound, rawUpperBound, hyperBatchSize);
    }

    public TrainerConfig withBounds(double lo, double hi) {
        return new TrainerConfig(hyperSteps, innerSteps, batchSize, seed, lo, hi, hyperBatchSize);
    }
}
