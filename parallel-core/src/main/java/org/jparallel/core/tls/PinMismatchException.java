package org.jparallel.core.tls;

import java.security.cert.CertificateException;

/**
 * The peer presented a TLS certificate other than the one a worker was pinned to: a definitive
 * refusal (another process on the manager's address, or the secret of another run), never a reason
 * to retry. Carries both SHA-256 fingerprints so the message can name them.
 */
public final class PinMismatchException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String presented;

    /**
     * @param expected the pinned fingerprint
     * @param presented the fingerprint of the certificate the peer presented
     * @param subject the presented certificate's subject, for the message
     */
    public PinMismatchException(String expected, String presented, String subject) {
        super("the peer's TLS certificate (SHA-256 " + presented + ", subject " + subject + ") is not the manager "
                + "certificate this worker was given with its secret (SHA-256 " + expected + "): another process is "
                + "listening on the manager's address, or the worker has the secret of another run. Refusing to "
                + "connect.");
        this.expected = expected;
        this.presented = presented;
    }

    /** @return the pinned SHA-256 fingerprint */
    public String expected() {
        return expected;
    }

    /** @return the SHA-256 fingerprint of the certificate the peer presented */
    public String presented() {
        return presented;
    }

    /** @return the first {@link PinMismatchException} in {@code t}'s cause chain, or {@code null} */
    public static PinMismatchException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PinMismatchException p) {
                return p;
            }
        }
        return null;
    }
}
