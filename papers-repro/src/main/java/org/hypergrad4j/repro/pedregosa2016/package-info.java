/** Pedregosa, "Hyperparameter optimization with approximate gradient" (ICML 2016): HOAG against black-box searches. */
package org.hypergrad4j.repro.pedregosa2016;
