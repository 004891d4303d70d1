package org.hypergrad4j.sweeps;

import java.io.Serializable;
import java.util.Map;

/**
 * What a task returns to the driver: its status, the numbers of the run's {@code summary.json} and where the run
 * folder is.
 *
 * @param task      the task
 * @param status    {@link Status}
 * @param metrics   the numeric entries of the run's summary (empty for a failure)
 * @param runFolder the run folder the runner wrote (null for a failure)
 * @param attempts  how many attempts this sweep made (0 for a task finished by an earlier sweep)
 * @param seconds   wall seconds of the last attempt (0 for a reused result)
 * @param message   the reason of a failure, or the run's own message
 */
public record TaskResult(SweepTask task, Status status, Map<String, Double> metrics, String runFolder, int attempts, double seconds,
                         String message) implements Serializable {

    /** How a task ended. */
    public enum Status {
        /** Ran to the end in this sweep. */
        FINISHED,
        /** Finished by an earlier sweep: its folder held a summary, so it was not run again. */
        REUSED,
        /** Ran to the end, but training diverged (the summary holds the last good state's scores). */
        DIVERGED,
        /** Failed on every attempt, or was refused as bad input (which no retry changes). */
        FAILED;

        /** Whether the task has numbers for the table. */
        public boolean hasNumbers() {
            return this != FAILED;
        }
    }

    public TaskResult {
        metrics = Map.copyOf(metrics);
    }
}
