package org.hypergrad4j.experiments.results;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when a file of a run folder exists but cannot be read back: JSON that does not parse or does not have
 * the expected shape, a CSV line with the wrong number of fields, a value that is not a number, and so on. The
 * message names the file and, where it applies, the line and column at fault.
 */
public final class RunFileFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The malformed file. */
    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file    the malformed file
     * @param message a full sentence naming the file, the position and what is wrong
     */
    public RunFileFormatException(Path file, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param file    the malformed file
     * @param message a full sentence naming the file, the position and what is wrong
     * @param cause   the parser's failure
     */
    public RunFileFormatException(Path file, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Returns the malformed file.
     *
     * @return the file whose content could not be read back
     */
    public Path file() {
        return file;
    }
}
