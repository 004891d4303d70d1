/**
 * Validated bilevel problems built from a model, labelled data and hyperparameter kinds: one graph, feeds, second-order views and evaluation.
 */
package org.hypergrad4j.bilevel.problem;
