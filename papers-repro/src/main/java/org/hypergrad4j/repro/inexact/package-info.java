/**
 * Paper code shared by the MAID and HOAG reproductions (salehi, pedregosa2016): bilevel problems with hand-written float64
 * derivatives (per-weight-decay logistic regression, total-variation denoising) and their cost traces.
 */
package org.hypergrad4j.repro.inexact;
