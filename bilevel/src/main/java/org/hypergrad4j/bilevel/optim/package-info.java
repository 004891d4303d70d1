/**
 * First-order optimisers over a {@link org.hypergrad4j.core.ParamVector} (SGD with momentum, Adam, RMSprop), each exposing its state for checkpoints.
 */
package org.hypergrad4j.bilevel.optim;
