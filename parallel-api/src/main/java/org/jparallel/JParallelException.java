package org.jparallel;

/** The root of jparallel's unchecked exceptions, so a caller can catch every framework failure at once. */
public class JParallelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened and, where known, what to do about it */
    public JParallelException(String message) {
        super(message);
    }

    /**
     * @param message what happened and, where known, what to do about it
     * @param cause the underlying failure
     */
    public JParallelException(String message, Throwable cause) {
        super(message, cause);
    }
}
