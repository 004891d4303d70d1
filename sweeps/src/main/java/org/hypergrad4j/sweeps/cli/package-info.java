/** {@code bin/hpo}'s entry point and the {@code sweep} command. */
package org.hypergrad4j.sweeps.cli;
