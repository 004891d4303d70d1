package org.hypergrad4j.bilevel.train;

/** What every unit of training reports to the {@link TrainingLoop}. */
public interface UnitEvent {
    /** The unit's number, from 1. */
    long unit();

    /**
     * The loss the loop watches for divergence (the training loss of a joint-training hyper-step, for
     * example); see {@link TrainingLoop} for the rule.
     */
    double monitoredLoss();
}
