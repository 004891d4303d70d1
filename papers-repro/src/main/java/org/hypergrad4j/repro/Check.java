package org.hypergrad4j.repro;

import java.util.Objects;

/**
 * One testable part of a paper's claim, as measured: {@code statement} says what the paper claims ("CG matches or beats
 * Neumann at equal products"), {@code measured} what was seen, {@code holds} whether it agrees.
 */
public record Check(String statement, String measured, boolean holds) {
    public Check {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(measured, "measured");
    }
}
