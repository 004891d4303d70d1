/** Ortiz et al., "Magnitude Invariant Parametrizations Improve Hypernetwork Learning" (ICLR 2024): MIP against plain hypernetworks. */
package org.hypergrad4j.repro.ortiz2024;
