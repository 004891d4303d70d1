/**
 * The gradient transform: appends a scalar's gradient to a SameDiff graph with one vector-Jacobian rule per op (user-extensible), using only ops whose derivatives are correct.
 */
package org.hypergrad4j.autodiff;
