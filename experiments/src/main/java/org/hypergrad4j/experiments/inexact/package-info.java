/**
 * Bilevel problems with hand-written float64 derivatives for MAID and HOAG (per-weight-decay logistic regression, total-variation denoising) and their cost traces.
 */
package org.hypergrad4j.experiments.inexact;
