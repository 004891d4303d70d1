/**
 * Self-tuning-network experiments on Fashion-MNIST: tuned dropout against a fixed grid, schedule replay.
 */
package org.hypergrad4j.experiments.stn;
