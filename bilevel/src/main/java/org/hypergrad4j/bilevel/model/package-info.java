/**
 * Models that write their logits into a SameDiff graph: MLPs (softmax regression without hidden layers), a small CNN, a user-built graph.
 */
package org.hypergrad4j.bilevel.model;
