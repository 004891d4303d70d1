package org.hypergrad4j.bilevel.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk checkpoint format shared by the trainers: a folder with {@code state.properties} (counters,
 * settings, and which file holds each tensor) and one ND4J binary file per tensor. Tensors come in named
 * groups ({@code weights}, {@code inner.m}, …); group {@code g}'s tensor names are listed under
 * {@code g.names} and tensor {@code n}'s file under {@code g.file.n}.
 *
 * <p>Writes are atomic: everything goes to a temporary sibling folder that then replaces {@code folder}, so
 * an interrupted write leaves the previous checkpoint intact.
 */
public final class Checkpoints {
    private static final String STATE_FILE = "state.properties";

    private Checkpoints() {
    }

    /** Writes {@code properties} and every group of {@code groups} (in order) to {@code folder}, replacing what was there. */
    public static void write(Path folder, Properties properties, Map<String, ParamVector> groups, String comment) {
        try {
            Path parent = folder.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".checkpoint-");
            Properties p = new Properties();
            p.putAll(properties);
            int counter = 0;
            for (Map.Entry<String, ParamVector> group : groups.entrySet()) {
                List<String> names = new ArrayList<>();
                for (String n : group.getValue().names()) {
                    String file = "tensor-" + counter++ + ".bin";
                    Nd4j.saveBinary(group.getValue().get(n), tmp.resolve(file).toFile());
                    p.setProperty(group.getKey() + ".file." + n, file);
                    names.add(n);
                }
                p.setProperty(group.getKey() + ".names", String.join(",", names));
            }
            try (OutputStream out = Files.newOutputStream(tmp.resolve(STATE_FILE))) {
                p.store(out, comment);
            }
            if (Files.exists(folder)) {
                try (var files = Files.list(folder)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f);
                    }
                }
                Files.delete(folder);
            }
            Files.move(tmp, folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code state.properties} of the checkpoint in {@code folder}.
     *
     * @throws IllegalArgumentException if there is no checkpoint there
     */
    public static Properties readProperties(Path folder) {
        Path state = folder.resolve(STATE_FILE);
        if (!Files.isRegularFile(state)) {
            throw new IllegalArgumentException("No checkpoint at " + folder + ": " + STATE_FILE + " is missing.");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + state + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Reads {@code state.properties} of the checkpoint in {@code folder}, which must have been written with the
     * configuration {@code config} (its {@code config} property, the trainer's configuration as text).
     *
     * @throws IllegalArgumentException if there is no checkpoint there, or it was written with another configuration
     */
    public static Properties readProperties(Path folder, Object config) {
        Properties p = readProperties(folder);
        if (!config.toString().equals(p.getProperty("config"))) {
            throw new IllegalArgumentException("The checkpoint at " + folder + " was written with " + p.getProperty("config")
                    + " but this trainer has " + config + ".");
        }
        return p;
    }

    /**
     * Reads group {@code group}, which must fit {@code live} (same names, shapes and types).
     *
     * @param what what {@code live} belongs to, for the message ("problem", "network", …)
     * @throws IllegalArgumentException if the group is missing or does not fit
     */
    public static ParamVector readGroupFitting(Path folder, Properties p, String group, ParamVector live, String what) {
        ParamVector v = readGroup(folder, p, group);
        try {
            live.checkCompatible(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The checkpoint at " + folder + " does not fit this " + what + ": " + e.getMessage(), e);
        }
        return v;
    }

    /** Whether the checkpoint holds group {@code group}. */
    public static boolean hasGroup(Properties p, String group) {
        return p.containsKey(group + ".names");
    }

    /**
     * Reads group {@code group}'s tensors.
     *
     * @throws IllegalArgumentException if the group is missing
     */
    public static ParamVector readGroup(Path folder, Properties p, String group) {
        String names = p.getProperty(group + ".names");
        if (names == null) {
            throw new IllegalArgumentException("Checkpoint at " + folder + " lacks the tensors of '" + group + "'.");
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            Path file = folder.resolve(p.getProperty(group + ".file." + n));
            try {
                m.put(n, Nd4j.readBinary(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read tensor '" + n + "' of '" + group + "' from " + file + ": " + e.getMessage(), e);
            }
        }
        return ParamVector.wrap(m);
    }

    /** Reads every group named {@code prefix.X}, keyed by {@code X} (an optimiser's state, for example). */
    public static Map<String, ParamVector> readGroups(Path folder, Properties p, String prefix) {
        Map<String, ParamVector> m = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(prefix + ".") && key.endsWith(".names")) {
                String name = key.substring(prefix.length() + 1, key.length() - ".names".length());
                m.put(name, readGroup(folder, p, prefix + "." + name));
            }
        }
        return m;
    }

    /** Adds {@code state}'s groups to {@code groups} under {@code prefix.}. */
    public static void putGroups(Map<String, ParamVector> groups, String prefix, Map<String, ParamVector> state) {
        for (Map.Entry<String, ParamVector> e : state.entrySet()) {
            groups.put(prefix + "." + e.getKey(), e.getValue());
        }
    }

    /** Reads a required integer property. */
    public static long longProperty(Path folder, Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("Checkpoint at " + folder + " lacks '" + key + "'.");
        }
        return Long.parseLong(v);
    }
}
