package org.hypergrad4j.hypernets.stn;

import java.util.Map;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.train.TrainingListener;

/** Receives the STN loop's events, in order; all methods default to doing nothing. */
public interface StnListener {

    /** After each cycle (one row of the hyperparameter schedule). */
    default void onCycle(ScheduleEntry entry) {
    }

    /** After an evaluation ({@code test} is null without test data). */
    default void onEvaluation(int cycle, BilevelProblem.Evaluation train, BilevelProblem.Evaluation validation, BilevelProblem.Evaluation test) {
    }

    /** NaN or infinity appeared; the trainer restored the last good state and stops. */
    default void onRecovery(TrainingListener.Recovery event) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(TrainingListener.CheckpointEvent event) {
    }

    /**
     * One row of the schedule: after {@code cycle} cycles and {@code trainSteps} training steps
     * ({@code epoch} = examples seen / training-set size), each hyperparameter's value and perturbation
     * scale, the last training loss and the mean validation loss of the cycle's hyper steps.
     */
    record ScheduleEntry(int cycle, long trainSteps, double epoch, Map<String, Double> values, Map<String, Double> scales,
                         double trainingLoss, double validationLoss) {
    }
}
