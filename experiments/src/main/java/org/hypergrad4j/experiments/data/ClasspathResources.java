package org.hypergrad4j.experiments.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Opens the data files bundled under {@code /datasets/} on the classpath. */
final class ClasspathResources {

    /** The classpath folder holding the bundled files. */
    static final String ROOT = "/datasets/";

    private ClasspathResources() {
    }

    /** Returns the full classpath name of a bundled file, for messages. */
    static String path(String fileName) {
        return ROOT + fileName;
    }

    /**
     * Opens a bundled file, transparently decompressing names ending in {@code .gz}.
     *
     * @throws DatasetNotFoundException if the resource is not on the classpath
     */
    static InputStream open(String fileName) {
        String path = path(fileName);
        InputStream raw = ClasspathResources.class.getResourceAsStream(path);
        if (raw == null) {
            throw new DatasetNotFoundException(path, "The bundled data file " + path
                    + " is not on the classpath; the hypergrad4j experiments jar (or its resources folder"
                    + " src/main/resources/datasets) is incomplete and must be rebuilt.");
        }
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        if (!fileName.endsWith(".gz")) {
            return buffered;
        }
        try {
            return new GZIPInputStream(buffered, 1 << 16);
        } catch (IOException e) {
            closeQuietly(buffered, e);
            throw new DatasetFormatException(path, "The bundled data file " + path
                    + " is not a valid gzip stream: " + e.getMessage(), e);
        }
    }

    /**
     * Reads all lines of a bundled text file (UTF-8), decompressing {@code .gz} files.
     *
     * @throws DatasetNotFoundException if the resource is not on the classpath
     * @throws UncheckedIOException     if reading fails
     */
    static List<String> readLines(String fileName) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(open(fileName), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the bundled data file " + path(fileName) + " failed: "
                    + e.getMessage(), e);
        }
        return lines;
    }

    private static void closeQuietly(InputStream stream, Exception primary) {
        try {
            stream.close();
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
