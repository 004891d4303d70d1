/** Maclaurin, Duvenaud, Adams, "Gradient-based Hyperparameter Optimization through Reversible Learning" (ICML 2015): learned learning-rate schedules. */
package org.hypergrad4j.repro.maclaurin2015;
