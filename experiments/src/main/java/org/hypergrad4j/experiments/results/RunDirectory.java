package org.hypergrad4j.experiments.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One folder per run, holding its record:
 *
 * <table>
 *   <caption>Files of a run folder</caption>
 *   <tr><th>file</th><th>content</th><th>written by</th></tr>
 *   <tr><td>{@value #CONFIG}</td><td>the run's configuration (a record or map)</td>
 *       <td>{@link #writeConfig(Object)}</td></tr>
 *   <tr><td>{@value #PROVENANCE}</td><td>{@link Provenance}: seed, commit, backend, versions, machine, start</td>
 *       <td>{@link #writeProvenance(Provenance)}</td></tr>
 *   <tr><td>{@value #METRICS}</td><td>one row per logged step, fixed columns</td>
 *       <td>{@link #newMetrics(List)}, {@link #resumeMetrics(List)}</td></tr>
 *   <tr><td>{@value #SUMMARY}</td><td>final results (a record or map); absent until the run finishes</td>
 *       <td>{@link #writeSummary(Object)}</td></tr>
 * </table>
 *
 * <p>Plots and other files may be added next to them with {@link #file(String)}.
 *
 * <h2>Naming</h2>
 * {@link #create(Path, String, long, Instant, IfExists)} names the folder
 * {@code <experiment>-<yyyyMMdd-HHmmss>-<seed>}, the time being the run's start in UTC (so the name does not
 * depend on the machine's time zone), e.g. {@code digits-wd-20240501-120000-42};
 * {@link #create(Path, String, IfExists)} takes the name as given. Names (and experiment names) must match
 * {@code [A-Za-z0-9][A-Za-z0-9._-]*}: one folder level, no separators, nothing hidden.
 *
 * <h2>Existing folders</h2>
 * A folder that does not exist or is empty is simply used. For an existing, non-empty folder, {@link IfExists}
 * decides: {@link IfExists#FAIL} refuses it; {@link IfExists#OVERWRITE} deletes the four record files above (and
 * nothing else) so that the run starts a fresh record; {@link IfExists#RESUME} keeps everything, so a resumed run
 * appends to its metrics with {@link #resumeMetrics(List)}.
 *
 * <h2>Writing</h2>
 * JSON files are pretty-printed with a deterministic key order (map entries sorted by key, record components in
 * declaration order) and replaced atomically where the file system allows; non-finite doubles are written as
 * {@code NaN}, {@code Infinity}, {@code -Infinity}. Metrics rows are flushed one by one (see
 * {@link MetricsWriter}).
 *
 * <p>Nothing here prints. Instances hold only the folder's path and may be shared between threads, though
 * concurrent writes of the same JSON file leave whichever finished last.
 */
public final class RunDirectory {

    /** The configuration file's name. */
    public static final String CONFIG = "config.json";
    /** The provenance file's name. */
    public static final String PROVENANCE = "provenance.json";
    /** The metrics file's name. */
    public static final String METRICS = "metrics.csv";
    /** The summary file's name. */
    public static final String SUMMARY = "summary.json";

    /** What to do when the run folder already exists and is not empty. */
    public enum IfExists {
        /** Refuse: throw {@link IllegalStateException}. */
        FAIL,
        /** Delete the four record files (config, provenance, metrics, summary), keep any other file, and start anew. */
        OVERWRITE,
        /** Keep everything: the run continues an earlier one (the folder must exist). */
        RESUME
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final List<String> RECORD_FILES = List.of(CONFIG, PROVENANCE, METRICS, SUMMARY);

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Returns the folder name {@code <experiment>-<yyyyMMdd-HHmmss>-<seed>} (time in UTC).
     *
     * @param experiment the experiment's name, matching {@code [A-Za-z0-9][A-Za-z0-9._-]*}
     * @param start      the run's start
     * @param seed       the run's seed (negative seeds keep their minus sign)
     * @return the folder name
     * @throws IllegalArgumentException if the experiment name is invalid or {@code start} is null
     */
    public static String folderName(String experiment, Instant start, long seed) {
        checkName("experiment name", experiment);
        if (start == null) {
            throw new IllegalArgumentException("The start time of run \"" + experiment + "\" must not be null.");
        }
        return experiment + "-" + STAMP.format(start) + "-" + seed;
    }

    /**
     * Creates (or reuses, as {@code ifExists} says) the folder
     * {@code <outputRoot>/<experiment>-<yyyyMMdd-HHmmss>-<seed>}.
     *
     * @param outputRoot the folder holding all runs; created if missing
     * @param experiment the experiment's name, matching {@code [A-Za-z0-9][A-Za-z0-9._-]*}
     * @param seed       the run's seed
     * @param start      the run's start
     * @param ifExists   what to do if the folder exists and is not empty
     * @return the run folder
     * @throws IllegalArgumentException if an argument is null or a name is invalid
     * @throws IllegalStateException    as for {@link #create(Path, String, IfExists)}
     * @throws UncheckedIOException     if the folder cannot be created or cleared
     */
    public static RunDirectory create(Path outputRoot, String experiment, long seed, Instant start, IfExists ifExists) {
        return create(outputRoot, folderName(experiment, start, seed), ifExists);
    }

    /**
     * Creates (or reuses, as {@code ifExists} says) the folder {@code <outputRoot>/<name>}.
     *
     * @param outputRoot the folder holding all runs; created if missing
     * @param name       the run folder's name, matching {@code [A-Za-z0-9][A-Za-z0-9._-]*}
     * @param ifExists   what to do if the folder exists and is not empty
     * @return the run folder
     * @throws IllegalArgumentException if an argument is null or the name is invalid
     * @throws IllegalStateException    if the path exists but is not a folder; if the folder is not empty and
     *                                  {@code ifExists} is {@link IfExists#FAIL}; or if it does not exist and
     *                                  {@code ifExists} is {@link IfExists#RESUME}
     * @throws UncheckedIOException     if the folder cannot be created or cleared
     */
    public static RunDirectory create(Path outputRoot, String name, IfExists ifExists) {
        if (outputRoot == null) {
            throw new IllegalArgumentException("The output root folder must not be null.");
        }
        checkName("run folder name", name);
        if (ifExists == null) {
            throw new IllegalArgumentException("The policy for an existing run folder must not be null; use FAIL, "
                    + "OVERWRITE or RESUME.");
        }
        Path folder = outputRoot.resolve(name);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalStateException("The run folder " + folder + " exists but is not a folder.");
        }
        if (ifExists == IfExists.RESUME && !Files.isDirectory(folder)) {
            throw new IllegalStateException("Cannot resume the run in " + folder + ": the folder does not exist.");
        }
        try {
            if (Files.isDirectory(folder)) {
                long entries = countEntries(folder);
                if (entries > 0 && ifExists == IfExists.FAIL) {
                    throw new IllegalStateException("The run folder " + folder + " already exists and holds " + entries
                            + (entries == 1 ? " entry" : " entries") + "; refusing to overwrite it. Choose another name, "
                            + "or pass IfExists.OVERWRITE to replace its record or IfExists.RESUME to continue it.");
                }
                if (ifExists == IfExists.OVERWRITE) {
                    for (String file : RECORD_FILES) {
                        Files.deleteIfExists(folder.resolve(file));
                    }
                }
            } else {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the run folder " + folder + ": " + e.getMessage(), e);
        }
        return new RunDirectory(folder);
    }

    /**
     * Creates a new run folder {@code <outputRoot>/<experiment>-<yyyyMMdd-HHmmss>-<seed>} atomically, with a suffix
     * {@code -2}, {@code -3}, … when the name is taken: two runs started in the same second never share a folder.
     *
     * @throws IllegalArgumentException if the output root cannot be created or written, with the reason
     */
    public static RunDirectory createUnique(Path outputRoot, String experiment, long seed, Instant start) {
        String base = folderName(experiment, start, seed);
        try {
            Files.createDirectories(outputRoot);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot use the output folder " + outputRoot + ": "
                    + org.hypergrad4j.bilevel.io.DurableFiles.reason(e) + ".");
        }
        for (int k = 1; k <= 10_000; k++) {
            Path folder = outputRoot.resolve(k == 1 ? base : base + "-" + k);
            try {
                Files.createDirectory(folder);
                return new RunDirectory(folder);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another run took this name: try the next suffix
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot create a run folder in " + outputRoot + ": "
                        + org.hypergrad4j.bilevel.io.DurableFiles.reason(e) + ".");
            }
        }
        throw new IllegalStateException("10000 run folders named " + base + "* exist in " + outputRoot + ".");
    }

    /**
     * Reads {@value #CONFIG} of {@code folder} as {@code type} (a record), checking first that its fields are exactly
     * the record's, so that a folder of another experiment is named as such instead of failing inside the mapping.
     *
     * @param experiment the experiment's name, for the message
     * @throws IllegalArgumentException if the fields differ
     * @throws RunFileNotFoundException if there is no configuration (the run was stopped before it started)
     */
    public static <T extends Record> T readConfig(Path folder, String experiment, Class<T> type) {
        Path file = folder.resolve(CONFIG);
        Map<String, Object> config = JsonFiles.readObject(file, "the run's configuration");
        java.util.Set<String> expected = new java.util.LinkedHashSet<>();
        for (var c : type.getRecordComponents()) {
            expected.add(c.getName());
        }
        if (!config.keySet().equals(expected)) {
            throw new IllegalArgumentException("The run in " + folder + " is not a " + experiment + " run (its " + CONFIG + " has the fields "
                    + config.keySet() + ").");
        }
        return JsonFiles.convert(config, file, "the run's configuration", type);
    }

    /** Takes the exclusive lock of this run folder (see {@link RunLock}). */
    public RunLock lock() {
        return RunLock.acquire(path);
    }

    /** Reopens {@value #METRICS} to continue after {@code keptUnits} units (see {@link MetricsWriter#continueAfter}). */
    public MetricsWriter continueMetrics(List<String> columns, String unitColumn, long keptUnits) {
        return MetricsWriter.continueAfter(path.resolve(METRICS), columns, unitColumn, keptUnits);
    }

    /**
     * Reads a run folder back. {@value #CONFIG}, {@value #PROVENANCE} and {@value #METRICS} must exist;
     * {@value #SUMMARY} may be missing (the run has not finished).
     *
     * @param folder the run folder
     * @return its record
     * @throws IllegalArgumentException if {@code folder} is null
     * @throws RunFileNotFoundException if the folder or a required file does not exist
     * @throws RunFileFormatException   if a file cannot be parsed (the message names the file and position)
     * @throws UncheckedIOException     if a file cannot be read
     */
    public static RunRecord open(Path folder) {
        if (folder == null) {
            throw new IllegalArgumentException("The run folder to open must not be null.");
        }
        if (!Files.isDirectory(folder)) {
            throw new RunFileNotFoundException(folder, "The run folder " + folder + " does not exist or is not a folder.");
        }
        Map<String, Object> config = JsonFiles.readObject(folder.resolve(CONFIG), "the run's configuration");
        Provenance provenance = JsonFiles.read(folder.resolve(PROVENANCE), "the run's provenance", Provenance.class);
        Metrics metrics = Metrics.read(folder.resolve(METRICS));
        Path summaryFile = folder.resolve(SUMMARY);
        Optional<Map<String, Object>> summary = Files.exists(summaryFile)
                ? Optional.of(JsonFiles.readObject(summaryFile, "the run's summary"))
                : Optional.empty();
        return new RunRecord(folder, config, provenance, metrics, summary);
    }

    /**
     * Returns the run folder.
     *
     * @return its path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the path of a file in the run folder, e.g. for a plot.
     *
     * @param name a plain file name matching {@code [A-Za-z0-9][A-Za-z0-9._-]*}
     * @return {@code path().resolve(name)}
     * @throws IllegalArgumentException if the name is invalid (a path, hidden, empty)
     */
    public Path file(String name) {
        checkName("file name", name);
        return path.resolve(name);
    }

    /**
     * Writes {@value #CONFIG}, replacing any earlier one.
     *
     * @param config a record or {@code Map<String, ?>} of strings, numbers, booleans, lists, arrays, maps and
     *               records
     * @return the file written
     * @throws IllegalArgumentException if {@code config} is null, not a JSON object, or cannot be serialised
     * @throws UncheckedIOException     if the file cannot be written
     */
    public Path writeConfig(Object config) {
        return writeObject(CONFIG, "configuration", config);
    }

    /**
     * Writes {@value #PROVENANCE}, replacing any earlier one.
     *
     * @param provenance the provenance, e.g. from {@link Provenance#capture(long)}
     * @return the file written
     * @throws IllegalArgumentException if {@code provenance} is null
     * @throws UncheckedIOException     if the file cannot be written
     */
    public Path writeProvenance(Provenance provenance) {
        return writeObject(PROVENANCE, "provenance", provenance);
    }

    /**
     * Writes {@value #SUMMARY}, replacing any earlier one.
     *
     * @param summary a record or {@code Map<String, ?>}, as for {@link #writeConfig(Object)}
     * @return the file written
     * @throws IllegalArgumentException if {@code summary} is null, not a JSON object, or cannot be serialised
     * @throws UncheckedIOException     if the file cannot be written
     */
    public Path writeSummary(Object summary) {
        return writeObject(SUMMARY, "summary", summary);
    }

    /**
     * Creates {@value #METRICS} with the given columns.
     *
     * @param columns the column names, e.g. {@code step, train_loss, val_loss}
     * @return a writer to close when the run ends
     * @throws IllegalArgumentException if the columns are invalid
     * @throws IllegalStateException    if the file already exists (use {@link #resumeMetrics(List)})
     */
    public MetricsWriter newMetrics(List<String> columns) {
        return MetricsWriter.create(path.resolve(METRICS), columns);
    }

    /**
     * Reopens {@value #METRICS} to append rows after a resume, checking its header.
     *
     * @param columns the columns the resumed run writes; must equal the file's header
     * @return a writer positioned at the end of the file
     * @throws IllegalArgumentException if the columns are invalid or differ from the file's header
     * @throws RunFileNotFoundException if the file does not exist
     */
    public MetricsWriter resumeMetrics(List<String> columns) {
        return MetricsWriter.append(path.resolve(METRICS), columns);
    }

    @Override
    public String toString() {
        return "RunDirectory[" + path + "]";
    }

    private Path writeObject(String fileName, String role, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("The run's " + role + " must not be null.");
        }
        String json = JsonFiles.toJson(value);
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("The run's " + role + " must be written as a JSON object (a record, bean "
                    + "or map), but a value of type " + value.getClass().getName() + " gives " + abbreviate(json) + ".");
        }
        Path file = path.resolve(fileName);
        JsonFiles.writeAtomically(file, json.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String abbreviate(String json) {
        String line = json.strip().replace('\n', ' ');
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }

    private static long countEntries(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.count();
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The " + what + " must match [A-Za-z0-9][A-Za-z0-9._-]* (letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit), but was "
                    + (name == null ? "null" : "\"" + name + "\"") + ".");
        }
    }
}
