package org.jparallel.core.serial;

import java.io.InvalidClassException;

/**
 * A payload held a class (or broke a limit) that the deserialization filter refuses. The message
 * names the class and the key that allows it, {@value SerialFilter#KEY}.
 */
public final class RejectedClassException extends InvalidClassException {
    private static final long serialVersionUID = 1L;

    /** @param message what was rejected and how to allow it */
    public RejectedClassException(String message) {
        super(message);
    }
}
