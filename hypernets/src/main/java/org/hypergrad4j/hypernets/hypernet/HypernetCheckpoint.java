package org.hypergrad4j.hypernets.hypernet;

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
 * A checkpoint folder: {@code state.properties} (counters, settings, and which file holds which tensor) and one
 * ND4J binary file per tensor, grouped into named {@link ParamVector}s. The same layout as the bilevel module's
 * {@code JointTrainer} checkpoints, whose writer is private to that class. Written to a temporary sibling folder
 * and then moved into place, so an interrupted write never leaves a half checkpoint.
 */
final class HypernetCheckpoint {
    static final String STATE_FILE = "state.properties";
    private static final String GROUPS = "groups";

    private HypernetCheckpoint() {
    }

    /** Writes {@code properties} and {@code groups} (names must not contain commas) into {@code folder}, replacing it. */
    static void write(Path folder, Properties properties, Map<String, ParamVector> groups) {
        try {
            Path parent = folder.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".hypernet-checkpoint-");
            Properties p = new Properties();
            p.putAll(properties);
            int counter = 0;
            List<String> groupNames = new ArrayList<>();
            for (Map.Entry<String, ParamVector> g : groups.entrySet()) {
                List<String> names = new ArrayList<>();
                for (String n : g.getValue().names()) {
                    String file = "tensor-" + counter++ + ".bin";
                    Nd4j.saveBinary(g.getValue().get(n), tmp.resolve(file).toFile());
                    p.setProperty(g.getKey() + ".file." + n, file);
                    names.add(n);
                }
                p.setProperty(g.getKey() + ".names", String.join(",", names));
                groupNames.add(g.getKey());
            }
            p.setProperty(GROUPS, String.join(",", groupNames));
            try (OutputStream out = Files.newOutputStream(tmp.resolve(STATE_FILE))) {
                p.store(out, "hypergrad4j hypernetwork checkpoint");
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
            throw new UncheckedIOException("Could not write the hypernetwork checkpoint to " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The properties of the checkpoint in {@code folder}. */
    static Properties readProperties(Path folder) {
        Path state = folder.resolve(STATE_FILE);
        if (!Files.isRegularFile(state)) {
            throw new IllegalArgumentException("No hypernetwork checkpoint at " + folder + ": " + STATE_FILE + " is missing.");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + state + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Every tensor group of the checkpoint in {@code folder}, by group name, in the order written. */
    static Map<String, ParamVector> readGroups(Path folder, Properties p) {
        Map<String, ParamVector> groups = new LinkedHashMap<>();
        String list = p.getProperty(GROUPS, "");
        for (String g : list.isEmpty() ? new String[0] : list.split(",")) {
            String names = p.getProperty(g + ".names");
            if (names == null) {
                throw new IllegalArgumentException("The checkpoint at " + folder + " lacks the tensor list of '" + g + "'.");
            }
            Map<String, INDArray> m = new LinkedHashMap<>();
            for (String n : names.split(",")) {
                String file = p.getProperty(g + ".file." + n);
                if (file == null) {
                    throw new IllegalArgumentException("The checkpoint at " + folder + " lacks the file of tensor '" + n + "' in '" + g + "'.");
                }
                try {
                    m.put(n, Nd4j.readBinary(folder.resolve(file).toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not read tensor '" + n + "' of '" + g + "' from " + folder.resolve(file) + ": "
                            + e.getMessage(), e);
                }
            }
            groups.put(g, ParamVector.wrap(m));
        }
        return groups;
    }
}
