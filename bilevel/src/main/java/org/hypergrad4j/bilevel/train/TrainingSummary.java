package org.hypergrad4j.bilevel.train;

/**
 * How a call of {@link TrainingLoop#run()} or {@link TrainingLoop#runFor(long)} ended.
 *
 * @param status       completed every unit, paused after the units asked for, or diverged (the state after the
 *                     last good unit restored)
 * @param unitsDone    units completed and kept (hyper-steps, cycles or steps, as {@code unit} says)
 * @param unit         what a unit is: {@code "hyper-step"}, {@code "cycle"}, {@code "step"}
 * @param message      what happened, in a sentence
 * @param seconds      wall time of this call
 * @param totalSeconds wall time of all units kept, across resumes
 */
public record TrainingSummary(Status status, long unitsDone, String unit, String message, double seconds, double totalSeconds) {
    public enum Status {
        /** Every configured unit ran. */
        COMPLETED,
        /** {@code runFor} ran the units asked for; more remain. */
        PAUSED,
        /** A unit produced NaN, infinity or a blown-up loss; the state after the last good unit is restored. */
        DIVERGED
    }
}
