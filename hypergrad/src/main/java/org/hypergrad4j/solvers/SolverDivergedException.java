package org.hypergrad4j.solvers;

/** An iterative solver's iterates grew instead of converging; the message gives the remedy. */
public class SolverDivergedException extends RuntimeException {
    public SolverDivergedException(String message) {
        super(message);
    }
}
