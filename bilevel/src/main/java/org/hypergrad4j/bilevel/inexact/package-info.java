/**
 * Bilevel methods for strongly convex lower levels solved approximately: MAID (adaptive accuracy, backtracking) and HOAG (tolerance schedules), with their lower-level solvers.
 */
package org.hypergrad4j.bilevel.inexact;
