package org.hypergrad4j.bilevel.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Crash-safe checkpoints of a {@link TrainingState}, after Orbax's commit-marker checkpoints. A checkpoint
 * folder {@code root} holds one sub-folder per committed checkpoint, {@code step-<unit>} (ten digits), with
 * {@code state.properties} (values, and where each tensor lies in the next file), {@code tensors.bin} (every tensor
 * in ND4J's binary format, one after another), and
 * {@value #COMMIT}, the commit marker: every file's length and CRC-32, written last.
 *
 * <p>Writing: everything goes into {@code .tmp-step-<unit>} and is synced, the marker last; one atomic
 * rename makes it {@code step-<unit>}; only then are older checkpoints removed, keeping the newest
 * {@value #KEEP}. A kill at any instant therefore leaves the previous committed checkpoint, the new one, or
 * both — never none. Reading ({@link #readLatest}) takes the newest checkpoint whose marker and files agree,
 * says which newer ones were skipped and why (a truncated or altered file is named), and removes
 * leftovers of interrupted writes.
 */
public final class Checkpoints {
    /** The commit marker's file name. */
    public static final String COMMIT = "COMMIT";
    /** Committed checkpoints kept: the newest and the one before, to fall back on if the newest is damaged. */
    public static final int KEEP = 2;
    private static final String STATE_FILE = "state.properties";
    private static final String TENSOR_FILE = "tensors.bin";
    private static final String MARKER_HEADER = "hypergrad4j checkpoint v2";
    private static final Pattern STEP = Pattern.compile("step-(\\d{10})");

    private Checkpoints() {
    }

    /** A checkpoint read back: its unit (the loop's count of units done), folder and state, and the newer ones skipped. */
    public record Loaded(long unit, Path folder, TrainingState state, List<String> skipped) {
    }

    /** The folder name of the checkpoint after {@code unit} units. */
    public static String folderName(long unit) {
        return String.format("step-%010d", unit);
    }

    /**
     * Writes {@code state} as the checkpoint after {@code unit} units into {@code root} (created if needed) and
     * commits it; returns its folder.
     */
    public static Path write(Path root, long unit, TrainingState state) {
        try {
            Files.createDirectories(root);
            String name = folderName(unit);
            Path target = root.resolve(name);
            Path tmp = root.resolve(".tmp-" + name);
            DurableFiles.deleteTree(tmp);
            Files.createDirectory(tmp);
            Properties p = new Properties();
            p.putAll(state.values());
            StringBuilder marker = new StringBuilder(MARKER_HEADER).append('\n').append("unit ").append(unit).append('\n');
            // All tensors in one file (offsets in the properties): one write and one sync per checkpoint, not one per tensor.
            ByteArrayOutputStream tensors = new ByteArrayOutputStream();
            for (Map.Entry<String, ParamVector> group : state.groups().entrySet()) {
                List<String> names = new ArrayList<>();
                for (String n : group.getValue().names()) {
                    int offset = tensors.size();
                    try (DataOutputStream out = new DataOutputStream(tensors)) {
                        Nd4j.write(group.getValue().get(n), out);
                    }
                    p.setProperty("group." + group.getKey() + ".tensor." + n, offset + "+" + (tensors.size() - offset));
                    names.add(n);
                }
                p.setProperty("group." + group.getKey() + ".names", String.join(",", names));
            }
            byte[] tensorBytes = tensors.toByteArray();
            DurableFiles.writeNew(tmp.resolve(TENSOR_FILE), tensorBytes);
            marker.append(line(TENSOR_FILE, tensorBytes));
            ByteArrayOutputStream properties = new ByteArrayOutputStream();
            p.store(properties, "hypergrad4j checkpoint after " + unit + " units");
            byte[] stateBytes = properties.toByteArray();
            DurableFiles.writeNew(tmp.resolve(STATE_FILE), stateBytes);
            marker.append(line(STATE_FILE, stateBytes));
            DurableFiles.writeNew(tmp.resolve(COMMIT), marker.toString().getBytes(StandardCharsets.UTF_8));
            DurableFiles.syncFolder(tmp);
            // A folder of this name exists only when a run fell back past it; the re-run replaces it.
            DurableFiles.deleteTree(target);
            DurableFiles.moveAtomically(tmp, target);
            List<Long> committed = committedUnits(root);
            for (int i = 0; i < committed.size() - KEEP; i++) {
                if (committed.get(i) < unit) {
                    DurableFiles.deleteTree(root.resolve(folderName(committed.get(i))));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the checkpoint to " + root + ": " + DurableFiles.reason(e), e);
        }
    }

    /**
     * Whether {@code root} holds at least one checkpoint folder {@code step-*} (intact or not: {@link #readLatest}
     * tells). Interrupted writes ({@code .tmp-*}) do not count.
     */
    public static boolean exists(Path root) {
        try {
            return Files.isDirectory(root) && !committedUnits(root).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the newest intact committed checkpoint in {@code root} and removes leftovers: folders of
     * interrupted writes, and committed checkpoints newer than the one read (damaged ones).
     *
     * @throws IllegalArgumentException if there is none, naming what was found wrong with each candidate
     */
    public static Loaded readLatest(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("No checkpoint at " + root + ": the folder does not exist.");
        }
        if (Files.exists(root.resolve(STATE_FILE))) {
            throw new IllegalArgumentException("The checkpoint at " + root + " was written by an older hypergrad4j without a commit marker;"
                    + " it cannot be told apart from a half-written one, so it is not resumed.");
        }
        try {
            List<Long> committed = committedUnits(root);
            List<String> skipped = new ArrayList<>();
            for (int i = committed.size() - 1; i >= 0; i--) {
                long unit = committed.get(i);
                Path folder = root.resolve(folderName(unit));
                try {
                    TrainingState state = read(folder);
                    removeLeftovers(root, unit);
                    return new Loaded(unit, folder, state, List.copyOf(skipped));
                } catch (IllegalArgumentException e) {
                    skipped.add(e.getMessage());
                }
            }
            if (skipped.isEmpty()) {
                throw new IllegalArgumentException("No committed checkpoint in " + root + " (a run killed before its first checkpoint has"
                        + " nothing to resume; start it again).");
            }
            throw new IllegalArgumentException(String.join(" ", skipped) + " No intact checkpoint is left in " + root + ".");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the checkpoints in " + root + ": " + DurableFiles.reason(e), e);
        }
    }

    /** Reads one committed checkpoint folder, checking every file against the commit marker. */
    static TrainingState read(Path folder) {
        Map<String, byte[]> files = verifiedFiles(folder);
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(files.get(STATE_FILE)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The checkpoint file " + folder.resolve(STATE_FILE) + " is not a properties file ("
                    + DurableFiles.reason(e) + ").");
        }
        TrainingState state = new TrainingState(folder.toString());
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("group.")) {
                state.put(key, p.getProperty(key));
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("group.") && key.endsWith(".names")) {
                String group = key.substring("group.".length(), key.length() - ".names".length());
                Map<String, INDArray> tensors = new LinkedHashMap<>();
                String names = p.getProperty(key);
                for (String n : names.isEmpty() ? new String[0] : names.split(",")) {
                    tensors.put(n, readTensor(folder, files.get(TENSOR_FILE), p.getProperty("group." + group + ".tensor." + n), group, n));
                }
                state.putGroupAsRead(group, ParamVector.wrap(tensors));
            }
        }
        return state;
    }

    private static Map<String, byte[]> verifiedFiles(Path folder) {
        Path marker = folder.resolve(COMMIT);
        List<String> lines;
        try {
            lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("The checkpoint at " + folder + " has no readable commit marker " + COMMIT + " ("
                    + DurableFiles.reason(e) + ").");
        }
        if (lines.isEmpty() || !lines.get(0).equals(MARKER_HEADER)) {
            throw new IllegalArgumentException("The commit marker " + marker + " does not start with '" + MARKER_HEADER + "'.");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            if (f[0].equals("unit")) {
                continue;
            }
            if (f.length != 4 || !f[0].equals("file")) {
                throw new IllegalArgumentException("The commit marker " + marker + " has a malformed line: \"" + line + "\".");
            }
            Path file = folder.resolve(f[1]);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("The checkpoint file " + file + " cannot be read (" + DurableFiles.reason(e) + ").");
            }
            long length = Long.parseLong(f[2]);
            if (bytes.length != length) {
                throw new IllegalArgumentException("The checkpoint file " + file + " has " + bytes.length + " bytes but was committed with "
                        + length + " (truncated or overwritten).");
            }
            if (DurableFiles.crc32(bytes) != Long.parseLong(f[3], 16)) {
                throw new IllegalArgumentException("The checkpoint file " + file + " does not match its committed CRC-32 (altered or damaged).");
            }
            files.put(f[1], bytes);
        }
        if (!files.containsKey(STATE_FILE)) {
            throw new IllegalArgumentException("The commit marker " + marker + " lists no " + STATE_FILE + ".");
        }
        return files;
    }

    private static String line(String file, byte[] bytes) {
        return "file " + file + " " + bytes.length + " " + Long.toHexString(DurableFiles.crc32(bytes)) + "\n";
    }

    private static INDArray readTensor(Path folder, byte[] all, String where, String group, String name) {
        Path file = folder.resolve(TENSOR_FILE);
        String[] f = where == null ? new String[0] : where.split("\\+");
        try {
            int offset = Integer.parseInt(f[0]);
            int length = Integer.parseInt(f[1]);
            if (all == null || offset < 0 || length < 0 || offset + length > all.length) {
                throw new IllegalArgumentException("bytes " + where + " are outside the file");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, offset, length))) {
                return Nd4j.read(in);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The checkpoint file " + file + " does not hold tensor '" + name + "' of '" + group + "' at "
                    + where + " (" + DurableFiles.reason(e) + ").");
        }
    }

    /** Units of the checkpoint folders in {@code root}, ascending (each committed, unless damaged since). */
    private static List<Long> committedUnits(Path root) throws IOException {
        List<Long> units = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = STEP.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    units.add(Long.parseLong(m.group(1)));
                }
            }
        }
        units.sort(Comparator.naturalOrder());
        return units;
    }

    /** Removes folders of interrupted writes and checkpoints newer than {@code kept}. */
    private static void removeLeftovers(Path root, long kept) throws IOException {
        List<Path> remove = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                Matcher m = STEP.matcher(name);
                if (name.startsWith(".tmp-") || (m.matches() && Long.parseLong(m.group(1)) > kept)) {
                    remove.add(p);
                }
            }
        }
        for (Path p : remove) {
            DurableFiles.deleteTree(p);
        }
    }
}
