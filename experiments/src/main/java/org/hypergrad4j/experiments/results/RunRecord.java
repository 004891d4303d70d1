package org.hypergrad4j.experiments.results;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run folder read back by {@link RunDirectory#open(Path)}.
 *
 * @param path       the run folder
 * @param config     the content of {@code config.json}, unmodifiable; integers are {@link Long}, other numbers
 *                   {@link Double}, arrays {@link java.util.List}, objects {@link Map}
 * @param provenance the content of {@code provenance.json}
 * @param metrics    the content of {@code metrics.csv}
 * @param summary    the content of {@code summary.json}, unmodifiable, or empty if the run has not written one
 *                   (it was killed, or is still running)
 */
public record RunRecord(Path path, Map<String, Object> config, Provenance provenance, Metrics metrics,
        Optional<Map<String, Object>> summary) {

    /**
     * Validates the components and makes the maps unmodifiable.
     *
     * @param path the run folder
     * @param config the content of {@code config.json}, unmodifiable; integers are {@link Long}, other numbers
     *               {@link Double}, arrays {@link java.util.List}, objects {@link Map}
     * @param provenance the content of {@code provenance.json}
     * @param metrics the content of {@code metrics.csv}
     * @param summary the content of {@code summary.json}, unmodifiable, or empty if the run has not written one
     *                (it was killed, or is still running)
     * @throws IllegalArgumentException if a component is null
     */
    public RunRecord {
        if (path == null || config == null || provenance == null || metrics == null || summary == null) {
            throw new IllegalArgumentException("No component of a run record may be null (use Optional.empty() for a "
                    + "missing summary), but got path=" + path + ", config=" + config + ", provenance=" + provenance
                    + ", metrics=" + metrics + ", summary=" + summary + ".");
        }
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        summary = summary.map(s -> Collections.unmodifiableMap(new LinkedHashMap<>(s)));
    }

    /**
     * Reads the configuration as a record or bean type, the inverse of writing such a value with
     * {@link RunDirectory#writeConfig(Object)}.
     *
     * @param type the configuration type
     * @param <T>  the type
     * @return the configuration
     * @throws RunFileFormatException if {@code config.json} does not fit the type, or the type's own validation
     *                                rejects it
     */
    public <T> T config(Class<T> type) {
        return JsonFiles.convert(config, path.resolve(RunDirectory.CONFIG), "the run's configuration", type);
    }

    /**
     * Reads the summary as a record or bean type.
     *
     * @param type the summary type
     * @param <T>  the type
     * @return the summary, or empty if the run wrote none
     * @throws RunFileFormatException if {@code summary.json} does not fit the type
     */
    public <T> Optional<T> summary(Class<T> type) {
        return summary.map(s -> JsonFiles.convert(s, path.resolve(RunDirectory.SUMMARY), "the run's summary", type));
    }
}
