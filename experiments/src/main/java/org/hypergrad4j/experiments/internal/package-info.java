/**
 * Helpers of the experiments module's runners and command line (the one-line progress display, the printed run
 * summary): not API. {@code InternalPackagesTest} fails if a class outside this module imports them.
 */
package org.hypergrad4j.experiments.internal;
