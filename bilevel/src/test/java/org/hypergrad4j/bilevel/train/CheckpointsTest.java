package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The single-file checkpoint format: bit-exact round trip, damage detected and named, leftovers and old files removed. */
class CheckpointsTest {
    private static TrainingState state(double seed) {
        TrainingState s = new TrainingState();
        s.put("loop.units", 3L).put("x", seed).put("empty", "").put("unicode", "λ ≥ 0, ∂L/∂θ").put("long", "ab".repeat(40_000));
        Map<String, INDArray> floats = new LinkedHashMap<>();
        floats.put("w", Nd4j.createFromArray(new float[][] {{1.5f, Float.NaN, -0.0f}, {Float.MIN_VALUE, Float.MAX_VALUE, (float) seed}}));
        floats.put("column", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}).getColumn(1)); // a view
        s.put("weights", ParamVector.wrap(floats));
        s.put("doubles", ParamVector.of("d", Nd4j.createFromArray(Math.PI, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY, seed).reshape('f', 2, 2)));
        s.put("ints", ParamVector.of("i", Nd4j.createFromArray(Integer.MIN_VALUE, 0, Integer.MAX_VALUE)));
        s.put("longs", ParamVector.of("l", Nd4j.createFromArray(new long[] {Long.MIN_VALUE, 7, Long.MAX_VALUE})));
        s.put("halves", ParamVector.of("h", Nd4j.createFromArray(0.5f, -2f, 65504f).castTo(DataType.HALF)));
        s.put("none", ParamVector.wrap(Map.of()));
        return s;
    }

    private static void assertBitEqual(TrainingState expected, TrainingState actual) {
        assertEquals(expected.values(), actual.values());
        assertEquals(List.copyOf(expected.groups().keySet()), List.copyOf(actual.groups().keySet()), "groups in order");
        expected.groups().forEach((group, v) -> {
            ParamVector w = actual.groups().get(group);
            assertEquals(v.names(), w.names(), group);
            for (String n : v.names()) {
                INDArray a = v.get(n);
                INDArray b = w.get(n);
                assertEquals(a.dataType(), b.dataType(), n);
                assertArrayEquals(a.shape(), b.shape(), n);
                INDArray ca = a.dup('c');
                INDArray cb = b.dup('c');
                switch (a.dataType()) {
                    case DOUBLE -> assertArrayEquals(ca.data().asDouble(), cb.data().asDouble(), 0.0, n);
                    case LONG -> assertArrayEquals(ca.data().asLong(), cb.data().asLong(), n);
                    case INT -> assertArrayEquals(ca.data().asInt(), cb.data().asInt(), n);
                    default -> {
                        // Compared as bits, so NaN and -0.0 count.
                        float[] x = ca.castTo(DataType.FLOAT).data().asFloat();
                        float[] y = cb.castTo(DataType.FLOAT).data().asFloat();
                        for (int i = 0; i < x.length; i++) {
                            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), n + "[" + i + "]");
                        }
                    }
                }
            }
        });
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String message(Path root) {
        return assertThrows(IllegalArgumentException.class, () -> Checkpoints.readLatest(root)).getMessage();
    }

    @Test
    void valuesAndTensorsOfSeveralTypesComeBackBitForBit(@TempDir Path root) {
        TrainingState s = state(0.1);
        Path file = Checkpoints.write(root, 3, s);
        assertEquals(root.resolve("step-0000000003.ckpt"), file);
        assertTrue(Checkpoints.exists(root));
        Checkpoints.Loaded loaded = Checkpoints.readLatest(root);
        assertEquals(3, loaded.unit());
        assertEquals(file, loaded.folder());
        assertEquals(List.of(), loaded.skipped());
        assertEquals(file.toString(), loaded.state().source());
        assertBitEqual(s, loaded.state());
    }

    @Test
    void aTruncatedNewestFileIsNamedAndThePreviousOneRead(@TempDir Path root) throws IOException {
        Checkpoints.write(root, 1, state(1));
        Path newest = Checkpoints.write(root, 2, state(2));
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Checkpoints.Loaded loaded = Checkpoints.readLatest(root);
        assertEquals(1, loaded.unit());
        assertBitEqual(state(1), loaded.state());
        assertEquals(1, loaded.skipped().size(), loaded.skipped().toString());
        assertTrue(loaded.skipped().get(0).startsWith("The checkpoint file " + newest + " is truncated"), loaded.skipped().get(0));
        assertEquals(List.of("step-0000000001.ckpt"), names(root), "the damaged newer checkpoint is removed once an older one is read");
    }

    @Test
    void aFlippedByteAnywhereIsDetectedAndNamed(@TempDir Path root) throws IOException {
        Path file = Checkpoints.write(root, 1, state(1));
        byte[] intact = Files.readAllBytes(file);
        for (int at : new int[] {0, intact.length / 2, intact.length - 9, intact.length - 1}) {
            byte[] bytes = intact.clone();
            bytes[at] ^= 0x10;
            Files.write(file, bytes);
            String m = message(root);
            // The last byte of the trailer's length reads as a truncation; every other byte fails the CRC-32.
            String fault = at == intact.length - 9 ? " is truncated or its trailer damaged (" + intact.length + " bytes)."
                    : " does not match its CRC-32 (altered or damaged).";
            assertTrue(m.startsWith("The checkpoint file " + file + fault), at + ": " + m);
            assertTrue(m.endsWith(" No intact checkpoint is left in " + root + "."), m);
        }
        Files.write(file, new byte[0]);
        assertTrue(message(root).startsWith("The checkpoint file " + file + " is truncated"));
    }

    @Test
    void leftoversOfInterruptedWritesAreRemovedAndDoNotCount(@TempDir Path root) throws IOException {
        Files.write(root.resolve(".step-0000000001.ckpt.tmp"), new byte[] {1, 2, 3});
        assertFalse(Checkpoints.exists(root), "an interrupted first write is no checkpoint");
        assertTrue(message(root).startsWith("No committed checkpoint in " + root));
        Checkpoints.write(root, 1, state(1)); // over the leftover of the same unit
        Files.write(root.resolve(".step-0000000002.ckpt.tmp"), new byte[] {1, 2, 3});
        assertEquals(1, Checkpoints.readLatest(root).unit());
        assertEquals(List.of("step-0000000001.ckpt"), names(root));
        assertTrue(message(root.resolve("missing")).contains("the folder does not exist"));
    }

    @Test
    void onlyTheNewestTwoAreKept(@TempDir Path root) throws IOException {
        for (long unit = 1; unit <= 5; unit++) {
            Checkpoints.write(root, unit, state(unit));
        }
        assertEquals(List.of("step-0000000004.ckpt", "step-0000000005.ckpt"), names(root));
        assertEquals(Checkpoints.KEEP, names(root).size());
        assertBitEqual(state(5), Checkpoints.readLatest(root).state());
    }

    @Test
    void anIntactFileOfAnotherFormatVersionIsNamedWithBothVersions(@TempDir Path root) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(body);
        byte[] header = "hypergrad4j checkpoint v4".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(header.length);
        out.write(header);
        out.writeInt(0);
        out.writeInt(0);
        long crc = org.hypergrad4j.bilevel.io.DurableFiles.crc32(body.toByteArray(), body.size());
        out.writeLong(body.size());
        out.writeLong(crc);
        Path file = root.resolve(Checkpoints.fileName(1));
        Files.write(file, body.toByteArray());
        String m = message(root);
        assertTrue(m.startsWith("The checkpoint file " + file + " was written by another hypergrad4j version ('hypergrad4j checkpoint v4'; "
                + "this one reads 'hypergrad4j checkpoint v5')."), m);
        assertEquals(List.of("step-0000000001.ckpt"), names(root), "refused, not removed");
    }

    @Test
    void aFolderOfAnOlderFormatIsRefusedInOneSentence(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("step-0000000002"));
        Files.writeString(root.resolve("step-0000000002/COMMIT"), "hypergrad4j checkpoint v2\n");
        String m = message(root);
        assertTrue(m.startsWith("The checkpoint at " + root + " was written by an older hypergrad4j (it holds step-0000000002)"), m);
        assertEquals(1, m.split("\\. ").length, "one sentence: " + m);
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.exists(root));
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.write(root, 3, state(3)));
        assertEquals(List.of("step-0000000002"), names(root), "nothing written beside it");
    }
}
