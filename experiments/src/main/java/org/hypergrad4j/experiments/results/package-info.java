/**
 * The record of a run, one folder per run, and its plots.
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>{@link org.hypergrad4j.experiments.results.RunDirectory}: creates
 *       {@code <outputRoot>/<experiment>-<yyyyMMdd-HHmmss>-<seed>} (or a given name), refuses to overwrite a
 *       non-empty folder unless asked, writes {@code config.json}, {@code provenance.json}, {@code metrics.csv} and
 *       {@code summary.json}, and reads them back as a {@link org.hypergrad4j.experiments.results.RunRecord}.</li>
 *   <li>{@link org.hypergrad4j.experiments.results.Provenance}: seed, git commit, ND4J backend, data type and
 *       version, Java version, operating system, cores, heap and start time.</li>
 *   <li>{@link org.hypergrad4j.experiments.results.MetricsWriter} and
 *       {@link org.hypergrad4j.experiments.results.Metrics}: a CSV file of fixed columns, appended and flushed
 *       row by row (a killed run keeps its rows), reopened for appending after a resume, and read back as
 *       columns of doubles.</li>
 *   <li>{@link org.hypergrad4j.experiments.results.Plots}: headless PNG line charts (loss curves, optionally on
 *       a logarithmic axis; hyperparameter trajectories) and histograms, drawn with XChart.</li>
 * </ul>
 *
 * <h2>Formats</h2>
 * JSON (written with Jackson) is indented by two spaces, has map keys sorted and record components in
 * declaration order, and writes non-finite doubles as the bare tokens {@code NaN}, {@code Infinity},
 * {@code -Infinity} (as Python's {@code json} module does). CSV has a header of names matching
 * {@code [A-Za-z_][A-Za-z0-9_.-]*} and one number per field, integral values without a fraction and
 * {@code NaN} as {@code NaN}; see {@link org.hypergrad4j.experiments.results.MetricsWriter}.
 *
 * <h2>Conventions</h2>
 * Invalid arguments throw {@link java.lang.IllegalArgumentException} with a full sentence naming the value and
 * the allowed range. Reading a run folder throws
 * {@link org.hypergrad4j.experiments.results.RunFileNotFoundException} for a missing folder or file and
 * {@link org.hypergrad4j.experiments.results.RunFileFormatException} for a malformed one, naming the file and
 * where applicable the line; other I/O failures are {@link java.io.UncheckedIOException}s. Nothing in this
 * package prints.
 */
package org.hypergrad4j.experiments.results;
