package org.jparallel.ssh;

/**
 * A step of starting a remote worker failed (connecting, verifying the host key, authenticating,
 * shipping jars, launching); the message says what happened and what to change.
 */
public final class SshSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and how to fix it */
    public SshSetupException(String message) {
        super(message);
    }

    /**
     * @param message what failed and how to fix it
     * @param cause the underlying error
     */
    public SshSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
