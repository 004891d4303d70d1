package org.hypergrad4j.bilevel.train;

import org.hypergrad4j.bilevel.problem.BilevelProblem;

/** Receives the joint training loop's events, in order; all methods default to doing nothing. */
public interface TrainingListener {

    /** After a hyper-step: its index (from 1), the validation loss, the hypergradient's norm and products used. */
    default void onHyperStep(HyperStep event) {
    }

    /** After an evaluation. */
    default void onEvaluation(EvaluationEvent event) {
    }

    /** NaN or infinity appeared; the trainer restored the last good state and stops. */
    default void onRecovery(Recovery event) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(CheckpointEvent event) {
    }

    record HyperStep(int hyperStep, long innerSteps, double trainingLoss, double validationLoss, double hypergradientNorm,
                     long products, double seconds) {
    }

    record EvaluationEvent(int hyperStep, BilevelProblem.Evaluation train, BilevelProblem.Evaluation validation,
                           BilevelProblem.Evaluation test) {
    }

    record Recovery(int hyperStep, long innerStep, String stage, String message) {
    }

    record CheckpointEvent(int hyperStep, java.nio.file.Path folder) {
    }
}
