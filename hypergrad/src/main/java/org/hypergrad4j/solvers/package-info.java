/**
 * Linear solvers for {@code H q = b} that see {@code H} only through products: conjugate gradient, Neumann series, fixed-point iteration, dense solve, identity.
 */
package org.hypergrad4j.solvers;
