/**
 * The loaders of the experiments' data: bundled real data sets, Fashion-MNIST and seeded synthetic problems
 * with known ground truth, each returned as the framework's {@link org.hypergrad4j.data.Dataset} (splits,
 * standardisation, minibatches and seed streams are in {@code org.hypergrad4j.data}).
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>{@link org.hypergrad4j.experiments.data.BundledDatasets}: digits, breast cancer, diabetes, wine and
 *       iris, read from the classpath (resources under {@code /datasets/}; sources and licences in
 *       {@code /datasets/ATTRIBUTION.md}).</li>
 *   <li>{@link org.hypergrad4j.experiments.data.BundledImages}: two greyscale photographs in {@code [0, 1]}
 *       with cropping and block-mean downsampling.</li>
 *   <li>{@link org.hypergrad4j.experiments.data.FashionMnist}: the gzipped IDX files of the Debian package
 *       {@code dataset-fashion-mnist}, or of a directory named by {@code HYPERGRAD4J_FASHION_MNIST}.</li>
 *   <li>{@link org.hypergrad4j.experiments.data.SyntheticData}: linear-regression and multinomial-logistic
 *       problems whose true parameters are returned with the data.</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every source of randomness takes an explicit {@code long} seed; the same seed gives bit-identical
 *       results on every platform (all randomness comes from {@link java.util.SplittableRandom}).</li>
 *   <li>Invalid arguments throw {@link java.lang.IllegalArgumentException} whose message is a full sentence
 *       naming the offending value and the allowed range. Operations that do not apply to a data set's task
 *       (for instance one-hot labels of a regression set) throw {@link java.lang.IllegalStateException}.
 *       Missing data files throw {@link org.hypergrad4j.experiments.data.DatasetNotFoundException}, malformed
 *       ones {@link org.hypergrad4j.experiments.data.DatasetFormatException}, and I/O failures
 *       {@link java.io.UncheckedIOException}; each message names the file and, where it applies, the line,
 *       record or value.</li>
 *   <li>Nothing in this package prints; nothing holds mutable global state apart from caches of immutable
 *       decoded resources.</li>
 * </ul>
 */
package org.hypergrad4j.experiments.data;
