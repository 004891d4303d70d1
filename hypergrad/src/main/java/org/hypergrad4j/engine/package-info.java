/**
 * The graph engine: runs appended SameDiff graphs as compiled plans with cached values and Java or BLAS kernels; SameDiff stays the builder and the reference.
 */
package org.hypergrad4j.engine;
