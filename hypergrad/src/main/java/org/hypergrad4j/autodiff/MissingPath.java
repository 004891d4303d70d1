package org.hypergrad4j.autodiff;

/** What the gradient transform does with a requested variable that the scalar does not depend on. */
public enum MissingPath {
    /** Throw {@link NoGradientPathException}: the usual sign of a mistake in the graph. */
    FAIL,
    /** Leave it out of the result: its gradient is zero ({@link GradientGraph#has(String)} is false). */
    ZERO
}
