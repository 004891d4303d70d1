package org.hypergrad4j.autodiff;

/** A graph cannot be differentiated as requested; the message names the variable or op and says why. */
public class GradientTransformException extends RuntimeException {
    public GradientTransformException(String message) {
        super(message);
    }

    public GradientTransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
