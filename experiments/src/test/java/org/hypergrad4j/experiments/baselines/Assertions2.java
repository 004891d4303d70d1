package org.hypergrad4j.experiments.baselines;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the baseline tests. */
final class Assertions2 {

    private Assertions2() {
    }

    /** Asserts that the call throws an {@link IllegalArgumentException} whose message contains the fragment. */
    static void assertMessage(Executable call, String fragment) {
        assertThrown(IllegalArgumentException.class, call, fragment);
    }

    /** Asserts that the call throws the given type with a message containing the fragment. */
    static <T extends Throwable> void assertThrown(Class<T> type, Executable call, String fragment) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
                "expected the message to contain \"" + fragment + "\" but it was \"" + e.getMessage() + "\"");
    }
}
