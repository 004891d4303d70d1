/**
 * Paper reproductions as commands: each {@link org.hypergrad4j.repro.Reproduction} states a paper's claim, runs the
 * experiment at a {@link org.hypergrad4j.repro.Scale} over seeds into a run folder, and returns a
 * {@link org.hypergrad4j.repro.Report} (the claim beside the measured table, the checks and the verdict) that
 * {@link org.hypergrad4j.repro.ReproRunner} writes as {@code REPORT.md}. One package per paper holds its
 * reproductions; the data, trainers, baselines, plots and statistics they use come from the other modules.
 */
package org.hypergrad4j.repro;
