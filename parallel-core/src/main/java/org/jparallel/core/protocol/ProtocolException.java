package org.jparallel.core.protocol;

/** A peer broke the wire format: bad length, unknown type, truncated field. The connection is closed. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong */
    public ProtocolException(String message) {
        super(message);
    }
}
