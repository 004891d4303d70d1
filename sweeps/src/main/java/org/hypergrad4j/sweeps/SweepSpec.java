package org.hypergrad4j.sweeps;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A sweep: one experiment over a list of settings and seeds, with black-box baselines beside it, read from a small
 * YAML (or JSON, which is YAML) file:
 *
 * <pre>
 * name: weight-decay-digits          # names the table and figure
 * experiment: weight-decay           # an experiment of `hpo run` (see: hpo list)
 * base: {dataset: digits, hyper-steps: 10}   # options every setting shares
 * grid: {scope: [global, per-layer, per-weight]}   # settings: the Cartesian product of the lists
 * # or: settings: [{scope: global}, {scope: per-weight, solver: neumann}]
 * seeds: 4                           # seeds first-seed, first-seed + 1, …
 * first-seed: 0
 * baselines:
 *   - {name: random-search, experiment: decay-search, options: {search: random, trials: 10}}
 * </pre>
 *
 * <p>Keys of {@code base}, {@code grid}, {@code settings} and a baseline's {@code options} are the long options of
 * {@code hpo run EXPERIMENT} without their dashes; {@code seed}, {@code seeds}, {@code out} and {@code stop-after}
 * belong to the sweep. Settings are the grid's product, in the order the keys and values are written (the last key
 * varies fastest), or the listed ones; each baseline is one more setting and runs over the same seeds, so every
 * comparison is paired by seed. Every refusal is one {@link IllegalArgumentException} line naming the key, the value
 * and what is allowed.
 *
 * @param name       the sweep's name, {@code [A-Za-z0-9][A-Za-z0-9._-]*}
 * @param settings   the settings in order, the experiment's first, then the baselines
 * @param seeds      the seeds every setting runs, {@code firstSeed … firstSeed + count − 1}
 */
public record SweepSpec(String name, List<Setting> settings, List<Long> seeds) {

    /** Options of {@code hpo run} that the sweep itself sets per task. */
    public static final Set<String> RESERVED = Set.of("seed", "seeds", "out", "stop-after");
    /** The top-level keys of a spec. */
    public static final List<String> KEYS = List.of("name", "experiment", "base", "grid", "settings", "seeds", "first-seed", "baselines");
    /** Largest number of seeds and of settings (a guard against a typo such as {@code seeds: 1000000}). */
    public static final int MAX_SEEDS = 1000;
    public static final int MAX_SETTINGS = 1000;

    /**
     * One setting: an experiment with its options.
     *
     * @param label      what the table calls it ({@code scope=global, solver=cg} or the baseline's name)
     * @param experiment an experiment of {@code hpo run}
     * @param options    option name (no dashes) → value as the command line takes it
     * @param baseline   whether it is a baseline
     */
    public record Setting(String label, String experiment, Map<String, String> options, boolean baseline) implements java.io.Serializable {
        public Setting {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        /** The folder name of the setting: the label with every run of characters outside {@code [A-Za-z0-9._-]} as one dash. */
        public String folderName() {
            String f = label.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
            return f.isEmpty() ? "setting" : f;
        }

        /** The arguments of {@code hpo} that run this setting at {@code seed} into run folders under {@code out}. */
        public List<String> arguments(long seed, String out) {
            List<String> args = new ArrayList<>(List.of("run", experiment));
            options.forEach((k, v) -> {
                args.add("--" + k);
                args.add(v);
            });
            args.addAll(List.of("--seed", Long.toString(seed), "--out", out));
            return args;
        }
    }

    public SweepSpec {
        settings = List.copyOf(settings);
        seeds = List.copyOf(seeds);
    }

    /** Reads and validates the spec in {@code file}. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The sweep spec " + file + " does not exist.");
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the sweep spec " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates a spec; {@code source} names it in messages. The known experiments and their options are
     * the command line's ({@link org.hypergrad4j.experiments.cli.Main#optionsOf}).
     */
    public static SweepSpec parse(String text, String source) {
        return parse(text, source, org.hypergrad4j.experiments.cli.Main.experimentNames(), org.hypergrad4j.experiments.cli.Main::optionsOf);
    }

    static SweepSpec parse(String text, String source, Set<String> experiments, Function<String, Set<String>> optionsOf) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            // The parser's own lines, without its echo of the source (indented) and its position lines.
            throw new IllegalArgumentException("The sweep spec " + source + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).map(String::strip)
                    .reduce((a, b) -> a + "; " + b).orElse("unreadable") + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the sweep spec " + source + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("The sweep spec " + source + " must be a mapping with the keys " + String.join(", ", KEYS) + ".");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown key '" + key + "' in the sweep spec; allowed: " + String.join(", ", KEYS) + ".");
            }
        }
        String name = text(root, "name", null);
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("name must match [A-Za-z0-9][A-Za-z0-9._-]* (it names the table and figure), got "
                    + (name == null ? "nothing" : "'" + name + "'") + ".");
        }
        String experiment = text(root, "experiment", null);
        checkExperiment("experiment", experiment, experiments);
        Map<String, String> base = options(root.get("base"), "base", experiment, optionsOf);
        List<Setting> settings = new ArrayList<>();
        JsonNode grid = root.get("grid");
        JsonNode listed = root.get("settings");
        if (grid != null && listed != null) {
            throw new IllegalArgumentException("Give either grid or settings, not both.");
        }
        if (listed != null) {
            if (!listed.isArray() || listed.isEmpty()) {
                throw new IllegalArgumentException("settings must be a non-empty list of option mappings.");
            }
            for (int i = 0; i < listed.size(); i++) {
                Map<String, String> own = options(listed.get(i), "settings[" + (i + 1) + "]", experiment, optionsOf);
                Map<String, String> all = new LinkedHashMap<>(base);
                all.putAll(own);
                settings.add(new Setting(own.isEmpty() ? "default" : label(own), experiment, all, false));
            }
        } else if (grid != null) {
            if (!grid.isObject() || grid.isEmpty()) {
                throw new IllegalArgumentException("grid must be a mapping of option → list of values, e.g. {scope: [global, per-weight]}.");
            }
            List<Map<String, String>> product = new ArrayList<>(List.of(new LinkedHashMap<>()));
            for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkKey("grid", e.getKey(), experiment, optionsOf);
                JsonNode values = e.getValue();
                if (!values.isArray() || values.isEmpty()) {
                    throw new IllegalArgumentException("grid." + e.getKey() + " must be a non-empty list of values, got " + values + ".");
                }
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : product) {
                    for (JsonNode v : values) {
                        Map<String, String> m = new LinkedHashMap<>(partial);
                        m.put(e.getKey(), value("grid." + e.getKey(), v));
                        next.add(m);
                    }
                }
                product = next;
                if (product.size() > MAX_SETTINGS) {
                    throw new IllegalArgumentException("The grid has more than " + MAX_SETTINGS + " settings; split the sweep.");
                }
            }
            for (Map<String, String> own : product) {
                Map<String, String> all = new LinkedHashMap<>(base);
                all.putAll(own);
                settings.add(new Setting(label(own), experiment, all, false));
            }
        } else {
            settings.add(new Setting(base.isEmpty() ? "default" : label(base), experiment, base, false));
        }
        JsonNode baselines = root.get("baselines");
        if (baselines != null) {
            if (!baselines.isArray()) {
                throw new IllegalArgumentException("baselines must be a list of {name, experiment, options}.");
            }
            for (int i = 0; i < baselines.size(); i++) {
                JsonNode b = baselines.get(i);
                String where = "baselines[" + (i + 1) + "]";
                if (!b.isObject()) {
                    throw new IllegalArgumentException(where + " must be a mapping {name, experiment, options}.");
                }
                for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!List.of("name", "experiment", "options").contains(key)) {
                        throw new IllegalArgumentException("Unknown key '" + key + "' in " + where + "; allowed: name, experiment, options.");
                    }
                }
                String bName = text(b, "name", where + ".name");
                String bExperiment = text(b, "experiment", where + ".experiment");
                checkExperiment(where + ".experiment", bExperiment, experiments);
                settings.add(new Setting(bName, bExperiment, options(b.get("options"), where + ".options", bExperiment, optionsOf), true));
            }
        }
        Set<String> folders = new TreeSet<>();
        for (Setting s : settings) {
            if (!folders.add(s.folderName())) {
                throw new IllegalArgumentException("Two settings share the folder name '" + s.folderName() + "'; give the baselines distinct names.");
            }
        }
        JsonNode seedsNode = root.get("seeds");
        if (seedsNode == null) {
            throw new IllegalArgumentException("seeds is missing: give the number of seeds per setting (at least 1).");
        }
        if (!seedsNode.canConvertToInt() || !seedsNode.isIntegralNumber()) {
            throw new IllegalArgumentException("seeds must be a whole number in [1, " + MAX_SEEDS + "], got " + seedsNode + ".");
        }
        int count = seedsNode.intValue();
        if (count < 1 || count > MAX_SEEDS) {
            throw new IllegalArgumentException("seeds must lie in [1, " + MAX_SEEDS + "], got " + count + ".");
        }
        JsonNode firstNode = root.get("first-seed");
        if (firstNode != null && !(firstNode.isIntegralNumber() && firstNode.canConvertToLong())) {
            throw new IllegalArgumentException("first-seed must be a whole number, got " + firstNode + ".");
        }
        long first = firstNode == null ? 0 : firstNode.longValue();
        if (first > Long.MAX_VALUE - count) {
            throw new IllegalArgumentException("first-seed " + first + " with seeds " + count + " overflows a 64-bit seed.");
        }
        List<Long> seeds = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            seeds.add(first + k);
        }
        return new SweepSpec(name, settings, seeds);
    }

    private static void checkExperiment(String key, String experiment, Set<String> experiments) {
        if (experiment == null) {
            throw new IllegalArgumentException(key + " is missing; known experiments: " + String.join(", ", new TreeSet<>(experiments)) + ".");
        }
        if (!experiments.contains(experiment)) {
            throw new IllegalArgumentException(key + ": unknown experiment '" + experiment + "'; known: " + String.join(", ", new TreeSet<>(experiments)) + ".");
        }
    }

    private static void checkKey(String where, String key, String experiment, Function<String, Set<String>> optionsOf) {
        if (RESERVED.contains(key)) {
            throw new IllegalArgumentException(where + ": '" + key + "' is set by the sweep for each task (use seeds, first-seed and --out).");
        }
        Set<String> allowed = new TreeSet<>();
        for (String o : optionsOf.apply(experiment)) {
            String bare = o.replaceFirst("^--", "");
            if (!RESERVED.contains(bare)) {
                allowed.add(bare);
            }
        }
        if (!allowed.contains(key)) {
            throw new IllegalArgumentException(where + ": unknown setting key '" + key + "' for " + experiment + "; allowed: " + String.join(", ", allowed) + ".");
        }
    }

    private static Map<String, String> options(JsonNode node, String where, String experiment, Function<String, Set<String>> optionsOf) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping of option → value, got " + node + ".");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkKey(where, e.getKey(), experiment, optionsOf);
            out.put(e.getKey(), value(where + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    /** A scalar as the command line spells it; a list (e.g. hidden widths) joined by commas. */
    private static String value(String where, JsonNode v) {
        if (v.isValueNode() && !v.isNull()) {
            return v.asText();
        }
        if (v.isArray() && !v.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : v) {
                if (!x.isValueNode() || x.isNull()) {
                    throw new IllegalArgumentException(where + " must hold plain values, got " + v + ".");
                }
                parts.add(x.asText());
            }
            return String.join(",", parts);
        }
        throw new IllegalArgumentException(where + " must be a plain value (or a list of them), got " + v + ".");
    }

    private static String text(JsonNode node, String key, String required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required != null) {
                throw new IllegalArgumentException(required + " is missing.");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(key + " must be a plain value, got " + v + ".");
        }
        return v.asText();
    }

    private static String label(Map<String, String> own) {
        StringBuilder b = new StringBuilder();
        own.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
