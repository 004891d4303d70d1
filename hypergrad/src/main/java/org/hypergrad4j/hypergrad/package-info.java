/**
 * Hypergradient methods: implicit ({@link org.hypergrad4j.hypergrad.HypergradientAtWeights}), reverse- and forward-unrolled ({@link org.hypergrad4j.hypergrad.HypergradientThroughTraining}), and a hypergradient check against finite differences.
 */
package org.hypergrad4j.hypergrad;
