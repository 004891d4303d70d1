/**
 * The {@code hpo} command line (picocli). Exit statuses are listed in {@link org.hypergrad4j.experiments.cli.Main}.
 */
package org.hypergrad4j.experiments.cli;
