package org.hypergrad4j.bilevel.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Crash-safe checkpoints of a {@link TrainingState}, one file per checkpoint: {@code root/step-<unit>.ckpt} (ten
 * digits). The file is a {@link DataOutputStream} body — {@value #HEADER}; the values (count, then key and value);
 * the tensor groups (count, then per group its name, tensor count and each tensor's name and {@link Nd4j#write}
 * bytes); strings as a length and UTF-8 — followed by the body's length and CRC-32 (two longs).
 *
 * <p>Writing builds the file in memory and commits it with {@link DurableFiles#replace} (written and synced as
 * {@code .step-<unit>.ckpt.tmp}, renamed in one atomic step, folder synced); only then are older checkpoints
 * removed, {@value #KEEP} kept. A kill at any instant therefore leaves the previous checkpoint, the new one, or
 * both — never none. Reading ({@link #readLatest}) takes the newest file whose length and CRC-32 match its trailer,
 * names each newer one it skipped and its fault, and removes leftovers. Folders of older formats are refused.
 */
public final class Checkpoints {
    /** Checkpoints kept: the newest and the one before, to fall back on if the newest is damaged. */
    public static final int KEEP = 2;
    /** v5: the loop's history of unit events, JSON lines (v4 held it in another text form; v3 lacked it). */
    private static final String HEADER = "hypergrad4j checkpoint v5";
    private static final String FILE = "step-\\d{10}\\.ckpt";
    /** Entries of older formats: v2's checkpoint folders (committed or {@code .tmp-}) and v1's state file. */
    private static final String OLD = "(\\.tmp-)?step-\\d{10}|state\\.properties";

    private Checkpoints() {
    }

    /** A checkpoint read back: its unit (the loop's count of units done), file, state, and the newer ones skipped. */
    public record Loaded(long unit, Path folder, TrainingState state, List<String> skipped) {
    }

    /** The file name of the checkpoint after {@code unit} units. */
    public static String fileName(long unit) {
        return String.format("step-%010d.ckpt", unit);
    }

    /** Commits {@code state} as the checkpoint after {@code unit} units in {@code root} (created if needed); returns its file. */
    public static Path write(Path root, long unit, TrainingState state) {
        String name = fileName(unit);
        Path target = root.resolve(name);
        try {
            Files.createDirectories(root);
            List<String> older = entries(root).stream().filter(n -> n.matches(FILE) && n.compareTo(name) < 0).toList();
            Body bytes = new Body(state);
            DataOutputStream out = new DataOutputStream(bytes);
            writeString(out, HEADER);
            out.writeInt(state.values().size());
            for (Map.Entry<String, String> v : state.values().entrySet()) {
                writeString(out, v.getKey());
                writeString(out, v.getValue());
            }
            out.writeInt(state.groups().size());
            for (Map.Entry<String, ParamVector> group : state.groups().entrySet()) {
                writeString(out, group.getKey());
                out.writeInt(group.getValue().names().size());
                for (Map.Entry<String, INDArray> tensor : group.getValue().asMap().entrySet()) {
                    writeString(out, tensor.getKey());
                    TensorBytes.write(tensor.getValue(), out);
                }
            }
            // The trailer: the body's length and CRC-32.
            long crc = DurableFiles.crc32(bytes.buffer(), bytes.size());
            out.writeLong(bytes.size());
            out.writeLong(crc);
            DurableFiles.replace(target, bytes.buffer(), bytes.size());
            for (String old : older.subList(0, Math.max(0, older.size() - (KEEP - 1)))) {
                DurableFiles.deleteTree(root.resolve(old));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the checkpoint to " + root + ": " + DurableFiles.reason(e), e);
        }
    }

    /**
     * The file's bytes in memory, read in place: a checkpoint of tens of megabytes is not copied out before it is
     * written. Sized up front, so that it does not regrow: each tensor's data and 256 bytes for its name and shape,
     * and the values as ASCII (other characters take more and may grow it once).
     */
    private static final class Body extends ByteArrayOutputStream {
        Body(TrainingState state) {
            super((int) Math.min(Integer.MAX_VALUE - 8, 4096
                    + state.groups().values().stream().flatMap(v -> v.asMap().values().stream()).mapToLong(t -> t.length() * t.dataType().width() + 256).sum()
                    + state.values().entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length() + 8).sum()));
        }

        byte[] buffer() {
            return buf;
        }
    }

    /**
     * Whether {@code root} holds a checkpoint file (intact or not: {@link #readLatest} tells; {@code .tmp} files of
     * interrupted writes do not count). Like the other methods, refuses a folder of an older format
     * ({@link IllegalArgumentException}).
     */
    public static boolean exists(Path root) {
        return Files.isDirectory(root) && entries(root).stream().anyMatch(n -> n.matches(FILE));
    }

    /**
     * Reads the newest intact checkpoint in {@code root} and removes leftovers: files of interrupted writes, and
     * checkpoints newer than the one read (damaged ones).
     *
     * @throws IllegalArgumentException if there is none, naming each candidate's fault
     * @throws UncheckedIOException     if a file cannot be read or removed (an I/O error is no damage: nothing is skipped for it)
     */
    public static Loaded readLatest(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("No checkpoint at " + root + ": the folder does not exist.");
        }
        List<String> all = entries(root);
        List<String> names = all.stream().filter(n -> n.matches(FILE)).toList();
        List<String> skipped = new ArrayList<>();
        try {
            for (int i = names.size() - 1; i >= 0; i--) {
                Path file = root.resolve(names.get(i));
                List<String> newer = names.subList(i + 1, names.size());
                try {
                    Loaded loaded = new Loaded(Long.parseLong(names.get(i).substring(5, 15)), file, read(file), List.copyOf(skipped));
                    for (String n : all.stream().filter(n -> n.endsWith(".tmp") || newer.contains(n)).toList()) {
                        DurableFiles.deleteTree(root.resolve(n));
                    }
                    return loaded;
                } catch (IllegalArgumentException e) {
                    skipped.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the checkpoints in " + root + ": " + DurableFiles.reason(e), e);
        }
        throw new IllegalArgumentException(skipped.isEmpty() ? "No committed checkpoint in " + root
                + " (a run killed before its first checkpoint has nothing to resume; start it again)."
                : String.join(" ", skipped) + " No intact checkpoint is left in " + root + ".");
    }

    /** Reads one checkpoint file, checking its length and CRC-32 against its trailer first. */
    private static TrainingState read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = bytes.length - 16;
        if (length < 0 || ByteBuffer.wrap(bytes).getLong(length) != length) {
            throw new IllegalArgumentException("The checkpoint file " + file + " is truncated or its trailer damaged (" + bytes.length
                    + " bytes).");
        }
        if (DurableFiles.crc32(bytes, length) != ByteBuffer.wrap(bytes).getLong(length + 8)) {
            throw new IllegalArgumentException("The checkpoint file " + file + " does not match its CRC-32 (altered or damaged).");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length));
        String header = readString(in);
        if (!header.equals(HEADER)) {
            throw new IllegalArgumentException("The checkpoint file " + file + (header.startsWith("hypergrad4j checkpoint ")
                    ? " was written by another hypergrad4j version ('" + header + "'; this one reads '" + HEADER + "')."
                    : " does not start with '" + HEADER + "'."));
        }
        TrainingState state = new TrainingState(file.toString());
        for (int i = in.readInt(); i > 0; i--) {
            state.put(readString(in), readString(in));
        }
        for (int g = in.readInt(); g > 0; g--) {
            String group = readString(in);
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (int t = in.readInt(); t > 0; t--) {
                tensors.put(readString(in), Nd4j.read(in));
            }
            state.putGroupAsRead(group, ParamVector.wrap(tensors));
        }
        return state;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }

    /** The names in {@code root}, sorted (so checkpoints ascend by unit); refuses a folder written in an older format. */
    private static List<String> entries(Path root) {
        try (var list = Files.list(root)) {
            List<String> names = list.map(p -> p.getFileName().toString()).sorted().toList();
            for (String n : names) {
                if (n.matches(OLD)) {
                    throw new IllegalArgumentException("The checkpoint at " + root + " was written by an older hypergrad4j (it holds " + n
                            + "); this version reads only step-<unit>.ckpt files, so it is not resumed.");
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the checkpoints in " + root + ": " + DurableFiles.reason(e), e);
        }
    }
}
