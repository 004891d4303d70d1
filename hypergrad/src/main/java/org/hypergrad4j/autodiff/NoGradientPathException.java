package org.hypergrad4j.autodiff;

/** The scalar does not depend on a variable whose gradient was requested with {@link MissingPath#FAIL}. */
public class NoGradientPathException extends GradientTransformException {
    private final String scalar;
    private final String variable;

    public NoGradientPathException(String scalar, String variable) {
        super("Scalar '" + scalar + "' does not depend on variable '" + variable
                + "': no op path leads from it to the scalar, so its gradient is identically zero."
                + " Check that the variable is used by the loss, or request it with MissingPath.ZERO.");
        this.scalar = scalar;
        this.variable = variable;
    }

    public String scalar() { return scalar; }

    public String variable() { return variable; }
}
