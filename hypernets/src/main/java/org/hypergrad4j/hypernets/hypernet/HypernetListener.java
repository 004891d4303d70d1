package org.hypergrad4j.hypernets.hypernet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/** Receives a {@link HypernetTrainer}'s events, in order; all methods default to doing nothing. */
public interface HypernetListener {

    /** After each step. */
    default void onStep(StepEvent event) {
    }

    /** NaN or infinity appeared; the trainer restored the state after the last good step and stops. */
    default void onRecovery(RecoveryEvent event) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(CheckpointEvent event) {
    }

    /** What a step updated. */
    enum Phase {
        /** global mode, first part: φ only */
        HYPERNET,
        /** global mode, second part: λ̂ only */
        HYPERPARAMETER,
        /** joint mode: φ, then λ̂ */
        JOINT
    }

    /**
     * @param step                       steps done, counting this one (from 1)
     * @param phase                      what was updated
     * @param trainingObjective          the minibatch training objective before the φ update (NaN if φ was not updated)
     * @param validationLoss             the validation loss before the λ̂ update (NaN if λ̂ was not updated)
     * @param hypernetGradientNorm       {@code ‖∂/∂φ‖} (NaN if φ was not updated)
     * @param hyperparameterGradientNorm {@code ‖∂L_V/∂λ̂‖} (NaN if λ̂ was not updated)
     * @param meanLambdaHat              the mean of {@code λ̂} after the step
     * @param seconds                    wall time since this call of {@code run}
     */
    record StepEvent(long step, Phase phase, double trainingObjective, double validationLoss, double hypernetGradientNorm,
                     double hyperparameterGradientNorm, double meanLambdaHat, double seconds) {
    }

    /**
     * @param stepsKept steps whose results were kept (the state after step {@code stepsKept} was restored)
     * @param stage     the computation that produced NaN or infinity
     * @param message   a sentence for the user
     */
    record RecoveryEvent(long stepsKept, String stage, String message) {
    }

    record CheckpointEvent(long step, Path folder) {
    }

    /** Prints one line every {@code every} steps, and every recovery and checkpoint, to {@code out}. */
    static HypernetListener printing(PrintStream out, int every) {
        Objects.requireNonNull(out, "out");
        if (every < 1) {
            throw new IllegalArgumentException("Print every at least 1 step, got " + every + ".");
        }
        return new HypernetListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() % every == 0) {
                    out.printf("step %d [%s] training objective %.5f, validation loss %.5f, |grad φ| %.3e, |grad λ̂| %.3e, mean λ̂ %.4f, %.1f s%n",
                            e.step(), e.phase().name().toLowerCase(), e.trainingObjective(), e.validationLoss(), e.hypernetGradientNorm(),
                            e.hyperparameterGradientNorm(), e.meanLambdaHat(), e.seconds());
                }
            }

            @Override
            public void onRecovery(RecoveryEvent e) {
                out.println("recovered: " + e.message());
            }

            @Override
            public void onCheckpoint(CheckpointEvent e) {
                out.println("checkpoint after step " + e.step() + " in " + e.folder());
            }
        };
    }
}
