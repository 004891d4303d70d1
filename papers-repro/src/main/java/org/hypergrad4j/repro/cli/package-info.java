/** The {@code hpo repro} command (list, run, index) and {@code bin/hpo}'s entry point, which adds it to the experiments' command line. */
package org.hypergrad4j.repro.cli;
