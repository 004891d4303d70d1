package org.hypergrad4j.experiments.results;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when a run folder, or one of the files a run folder must hold, does not exist. The message names the
 * missing path and what writes it.
 */
public final class RunFileNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The missing file or folder. */
    private final transient Path missing;

    /**
     * Creates the exception.
     *
     * @param missing the file or folder that does not exist
     * @param message a full sentence naming the missing path and how it is normally created
     */
    public RunFileNotFoundException(Path missing, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.missing = Objects.requireNonNull(missing, "missing");
    }

    /**
     * Returns the missing path.
     *
     * @return the file or folder that does not exist
     */
    public Path missing() {
        return missing;
    }
}
