package org.hypergrad4j.bilevel.train;

import java.nio.file.Path;
import org.hypergrad4j.bilevel.problem.BilevelProblem;

/**
 * Receives a {@link TrainingLoop}'s events, in order; every method defaults to doing nothing. {@code E} is the
 * trainer's unit event ({@link JointTrainer.HyperStep}, an STN cycle's schedule entry, a hypernetwork step, …).
 *
 * @param <E> the event of one unit of training
 */
public interface TrainingListener<E> {

    /** After each unit (hyper-step, cycle or step) that was kept. */
    default void onUnit(E event) {
    }

    /** After an evaluation (every {@code evaluateEvery} units, where the trainer evaluates). */
    default void onEvaluation(EvaluationEvent event) {
    }

    /** A unit failed (NaN, infinity or a blown-up loss); the loop restored the last good state and stops. */
    default void onRecovery(Recovery event) {
    }

    /** A checkpoint was committed. */
    default void onCheckpoint(CheckpointEvent event) {
    }

    /**
     * Loss and accuracy after {@code unit} units ({@code test} is null without test data).
     */
    record EvaluationEvent(long unit, BilevelProblem.Evaluation train, BilevelProblem.Evaluation validation,
                           BilevelProblem.Evaluation test) {
    }

    /**
     * @param unitsKept units whose results were kept (the state after unit {@code unitsKept} was restored)
     * @param stage     the unit that failed and the computation inside it, e.g. {@code "hyper-step 7: inner step 312"}
     * @param message   a sentence for the user
     */
    record Recovery(long unitsKept, String stage, String message) {
    }

    /** A checkpoint of the state after {@code unit} units, committed as the file {@code folder} (its path). */
    record CheckpointEvent(long unit, Path folder) {
    }
}
