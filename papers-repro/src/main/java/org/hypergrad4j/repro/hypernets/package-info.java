/**
 * Paper code shared by the hypernetwork reproductions (lorraine2018, ortiz2024): runs on the bundled digits (global hypernetwork
 * against a grid, MIP against plain, local mode) and the float64 softmax-regression fit they are scored against.
 */
package org.hypergrad4j.repro.hypernets;
