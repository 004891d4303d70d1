/**
 * Hyperparameter kinds: weight decays (global, per layer, per weight), per-example weights, distilled data, an augmentation network, dropout rates; each with its constraint.
 */
package org.hypergrad4j.bilevel.hyper;
