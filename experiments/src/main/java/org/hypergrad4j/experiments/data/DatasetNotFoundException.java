package org.hypergrad4j.experiments.data;

import java.util.Objects;

/**
 * Thrown when a data set's files (or classpath resources) cannot be found. The message names the missing
 * file or directory and says how to obtain it.
 */
public final class DatasetNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The missing file, directory or classpath resource, as reported in the message. */
    private final String missing;

    /**
     * Creates the exception.
     *
     * @param missing the file, directory or classpath resource that is missing, as it should be reported
     * @param message a full sentence saying what is missing and how to install or locate it
     */
    public DatasetNotFoundException(String missing, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.missing = Objects.requireNonNull(missing, "missing");
    }

    /**
     * Returns the missing location.
     *
     * @return the file, directory or classpath resource that could not be found
     */
    public String missing() {
        return missing;
    }
}
