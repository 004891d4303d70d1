/**
 * Core types: {@link org.hypergrad4j.core.ParamVector} (named tensors), second-order views (exact and finite-difference) and their results.
 */
package org.hypergrad4j.core;
