package org.jparallel.core.worker;

/**
 * How one connection attempt of a worker ended, written by the channel handlers and read by the
 * worker's main thread once the channel has closed.
 */
final class SessionOutcome {
    private volatile boolean authenticated;
    private volatile String rejection;
    private volatile String endReason = "the manager closed the connection";

    void authenticated() {
        authenticated = true;
    }

    void rejected(String reason) {
        if (rejection == null) {
            rejection = reason;
        }
    }

    void ended(String reason) {
        endReason = reason;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    String rejection() {
        return rejection;
    }

    String endReason() {
        return endReason;
    }
}
