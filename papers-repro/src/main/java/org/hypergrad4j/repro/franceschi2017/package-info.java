/** Franceschi, Donini, Frasconi, Pontil, "Forward and Reverse Gradient-Based Hyperparameter Optimization" (ICML 2017): data hyper-cleaning. */
package org.hypergrad4j.repro.franceschi2017;
