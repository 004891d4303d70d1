package org.hypergrad4j.sweeps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out} routed by thread. The runners print their progress to {@code System.out}; in an executor
 * several tasks run at once in one JVM, each on its own thread, so a task sends its thread's output to its own log
 * ({@link #to}) and every other thread keeps the console it had.
 */
final class ThreadOutput extends OutputStream {
    private static final ThreadLocal<OutputStream> TARGET = new ThreadLocal<>();
    private static PrintStream installed;
    private final PrintStream console;

    private ThreadOutput(PrintStream console) {
        this.console = console;
    }

    /** Installs the routing as {@code System.out} once per JVM. */
    static synchronized void install() {
        if (installed == null || System.out != installed) {
            installed = new PrintStream(new ThreadOutput(System.out), true, StandardCharsets.UTF_8);
            System.setOut(installed);
        }
    }

    /** Sends this thread's {@code System.out} to {@code target} until {@link #reset}. */
    static void to(OutputStream target) {
        install();
        TARGET.set(target);
    }

    static void reset() {
        TARGET.remove();
    }

    private OutputStream target() {
        OutputStream t = TARGET.get();
        return t == null ? console : t;
    }

    @Override
    public void write(int b) throws IOException {
        target().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        target().flush();
    }
}
