package org.hypergrad4j.bilevel.train;

/**
 * How a joint training run ended.
 *
 * @param status          completed, or stopped on NaN/infinity (state restored to the last good hyper-step)
 * @param hyperStepsDone  hyper-steps completed (and kept)
 * @param innerStepsDone  weight updates completed (and kept)
 * @param message         what happened, in a sentence
 * @param seconds         wall time of this call of {@code run()}
 */
public record TrainingSummary(Status status, int hyperStepsDone, long innerStepsDone, String message, double seconds) {
    public enum Status { COMPLETED, DIVERGED }
}
