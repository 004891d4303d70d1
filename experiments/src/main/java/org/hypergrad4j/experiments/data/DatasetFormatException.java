package org.hypergrad4j.experiments.data;

import java.util.Objects;

/**
 * Thrown when a data file exists but its content is not in the expected format (wrong magic number, wrong
 * number of columns, a value that does not parse or lies outside its allowed range, a truncated file, and so
 * on). The message names the file and the line, record or value at fault.
 */
public final class DatasetFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The malformed file or classpath resource, as reported in the message. */
    private final String source;

    /**
     * Creates the exception.
     *
     * @param source  the file or classpath resource whose content is malformed
     * @param message a full sentence naming the file, the position and what is wrong
     */
    public DatasetFormatException(String source, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param source  the file or classpath resource whose content is malformed
     * @param message a full sentence naming the file, the position and what is wrong
     * @param cause   the underlying failure
     */
    public DatasetFormatException(String source, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns the malformed file.
     *
     * @return the file or classpath resource whose content is malformed
     */
    public String source() {
        return source;
    }
}
