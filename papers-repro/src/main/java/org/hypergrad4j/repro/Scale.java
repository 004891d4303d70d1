package org.hypergrad4j.repro;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How large a reproduction runs: {@link #SMOKE} finishes in under a minute and checks the claim's direction (run by
 * the test suite), {@link #REDUCED} is the scale the committed reports were measured at (minutes; the Maven profile
 * {@code -Prepro} runs it), {@link #FULL} is the paper's own set-up where this machine can hold it.
 */
public enum Scale {
    SMOKE, REDUCED, FULL;

    /** The label on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the allowed labels
     */
    public static Scale of(String label) {
        for (Scale s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown scale '" + label + "'; use one of "
                + Arrays.stream(values()).map(Scale::label).collect(Collectors.joining(", ")) + ".");
    }
}
