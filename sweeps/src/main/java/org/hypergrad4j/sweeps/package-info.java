/**
 * Sweeps over settings, seeds and black-box baselines as Apache Spark tasks: {@link org.hypergrad4j.sweeps.SweepSpec}
 * (the YAML spec), {@link org.hypergrad4j.sweeps.Sweep} (the driver), {@link org.hypergrad4j.sweeps.SweepTable} (means
 * and 95% intervals per setting).
 */
package org.hypergrad4j.sweeps;
