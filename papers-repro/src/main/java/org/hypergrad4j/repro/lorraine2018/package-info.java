/** Lorraine and Duvenaud, "Stochastic Hyperparameter Optimization through Hypernetworks" (2018): a global hypernetwork over one decay. */
package org.hypergrad4j.repro.lorraine2018;
