package org.hypergrad4j.autodiff;

/**
 * Thrown when the gradient transform meets an op on the path from a requested variable to the scalar
 * for which the {@link VjpRegistry} has no rule, or whose configuration the rule does not support.
 * Thrown before any node is appended, so the graph is unchanged.
 */
public class UnsupportedOpException extends GradientTransformException {
    private final String opName;
    private final String opClass;
    private final String outputVariable;

    public UnsupportedOpException(String opName, String opClass, String outputVariable, String reason) {
        super("Op '" + opName + "' (" + opClass + ") producing variable '" + outputVariable
                + "' cannot be differentiated twice: " + reason
                + " Rewrite that part of the graph with supported ops (see VjpRegistry.builtin().supportedOps()),"
                + " register a VjpRule for it with VjpRegistry.register(...), or use FiniteDifferenceSecondOrderView"
                + " (approximate) for this graph.");
        this.opName = opName;
        this.opClass = opClass;
        this.outputVariable = outputVariable;
    }

    /** The op's SameDiff name, e.g. {@code "gather"}. */
    public String opName() { return opName; }

    /** The op's Java class name. */
    public String opClass() { return opClass; }

    /** The variable the op produces. */
    public String outputVariable() { return outputVariable; }
}
