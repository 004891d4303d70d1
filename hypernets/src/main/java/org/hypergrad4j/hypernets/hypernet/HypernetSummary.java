package org.hypergrad4j.hypernets.hypernet;

/**
 * How a {@link HypernetTrainer} run ended.
 *
 * @param status    completed the requested steps, or stopped on NaN/infinity with the last good state restored
 * @param stepsDone steps whose results are kept
 * @param message   what happened, in a sentence
 * @param seconds   wall time of this call of {@code run}
 */
public record HypernetSummary(Status status, long stepsDone, String message, double seconds) {
    public enum Status { COMPLETED, DIVERGED }
}
