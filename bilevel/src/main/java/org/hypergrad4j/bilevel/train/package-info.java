/**
 * The one training loop ({@link org.hypergrad4j.bilevel.train.TrainingLoop}) with its listener, summary, state and crash-safe checkpoints, and the trainers of this module: joint training with implicit hypergradients and with reverse-unrolled ones.
 */
package org.hypergrad4j.bilevel.train;
