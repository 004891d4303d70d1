package org.hypergrad4j.experiments.results;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.hypergrad4j.bilevel.io.DurableFiles;

/**
 * An exclusive lock on a run folder for the process that writes it: an operating-system lock on the file
 * {@value #FILE} in the folder, which the system releases when the process ends however it ends (a
 * {@code kill -9} included), so a stale lock never blocks a resume. The file names the holder (process id, host,
 * since when) for the message a second writer gets.
 */
public final class RunLock implements Closeable {
    /** The lock file's name. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code folder}.
     *
     * @throws IllegalStateException if another process (or another writer in this one) holds it, naming the holder
     */
    public static RunLock acquire(Path folder) {
        Path file = folder.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException("The run folder " + folder + " is in use by " + (holder.isEmpty() ? "another process" : holder)
                        + "; wait for it to end (or stop it) before running or resuming this folder.");
            }
            String holder = "process " + ProcessHandle.current().pid() + " on " + host() + " since " + Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("Could not lock the run folder " + folder + ": " + DurableFiles.reason(e), e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not release the run-folder lock: " + e.getMessage(), e);
        }
    }
}
