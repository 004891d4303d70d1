package org.hypergrad4j.bilevel.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * File operations that survive a kill at any instant, used for every file a run writes or rewrites
 * (checkpoints, metrics, summaries). The model is SQLite's atomic commit: new content is written and
 * synced ({@code fsync}) beside the old, then made current by one atomic rename, and the folder holding it
 * is synced so the rename itself is durable.
 *
 * <h2>Fault injection</h2>
 * Every operation first passes a numbered fault point. With the system property {@value #HALT_AT_PROPERTY}
 * set to {@code n}, the process halts ({@link Runtime#halt(int)} with status {@value #HALT_STATUS}, as
 * abrupt as {@code kill -9}: no shutdown hooks, no flushing) at the {@code n}-th point; with
 * {@value #TRACE_PROPERTY} naming a file, each point appends its number and label to that file. The crash
 * tests use both to halt a child process at each file operation in turn. Without the properties a point
 * costs one counter increment.
 */
public final class DurableFiles {
    /** System property: halt at this fault point (1 is the first). */
    public static final String HALT_AT_PROPERTY = "hypergrad4j.faults.haltAt";
    /** System property: append each fault point's number and label to this file. */
    public static final String TRACE_PROPERTY = "hypergrad4j.faults.trace";
    /** The exit status of a halt at a fault point. */
    public static final int HALT_STATUS = 86;

    private static final AtomicLong POINTS = new AtomicLong();
    private static volatile long haltAt = Long.getLong(HALT_AT_PROPERTY, 0L);
    private static final String TRACE = System.getProperty(TRACE_PROPERTY);

    private DurableFiles() {
    }

    /**
     * A fault point before the file operation {@code label} (for example {@code "sync metrics.csv"}).
     * Halts the process there when {@value #HALT_AT_PROPERTY} says so.
     */
    public static void faultPoint(String label) {
        long n = POINTS.incrementAndGet();
        if (TRACE != null) {
            try {
                Files.writeString(Path.of(TRACE), n + " " + label + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not trace the fault point '" + label + "' to " + TRACE + ": " + e.getMessage(), e);
            }
        }
        if (n == haltAt) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    /**
     * Arms a halt at the {@code points}-th fault point from now (for crash tests that run several commands in
     * one process); 0 disarms.
     */
    public static void haltAtPointFromNow(long points) {
        haltAt = points == 0 ? 0 : POINTS.get() + points;
    }

    /** Writes the first {@code length} of {@code bytes} to the new file {@code file} and syncs it; fails if the file exists. */
    public static void writeNew(Path file, byte[] bytes, int length) throws IOException {
        faultPoint("create " + file.getFileName());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            faultPoint("sync " + file.getFileName());
            channel.force(true);
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} atomically: a reader (or a resume after a kill) sees either the
     * old content or the new, never a mixture or nothing.
     */
    public static void replace(Path file, byte[] bytes) {
        replace(file, bytes, bytes.length);
    }

    /** {@link #replace(Path, byte[])} with the first {@code length} of {@code bytes}. */
    public static void replace(Path file, byte[] bytes, int length) {
        Path target = file.toAbsolutePath();
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            writeNew(temporary, bytes, length);
            moveAtomically(temporary, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("Could not write " + file + ": " + reason(e), e);
        }
    }

    /** Renames {@code from} to {@code to} in one atomic step (replacing a file {@code to}), then syncs the folder. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        faultPoint("rename " + from.getFileName() + " to " + to.getFileName());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncFolder(to.toAbsolutePath().getParent());
    }

    /** Syncs a folder's entries (the names created, renamed or deleted in it), where the platform allows. */
    public static void syncFolder(Path folder) {
        faultPoint("sync folder " + folder.getFileName());
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder for syncing; the rename is atomic there all the same.
        }
    }

    /** Truncates {@code file} to {@code length} bytes and syncs it: one call, so a kill leaves either length. */
    public static void truncate(Path file, long length) throws IOException {
        faultPoint("truncate " + file.getFileName());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }

    /** Deletes {@code folder} and everything in it (or a file), if it exists. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        faultPoint("delete " + folder.getFileName());
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The CRC-32 of the first {@code length} bytes of {@code bytes} (no copy of them). */
    public static long crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** An exception's reason for a one-line message (the exception type where it has no message). */
    public static String reason(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return m == null ? type : m;
    }
}
