package org.jparallel.core.worker;

/**
 * How one connection attempt of a worker ended, written by the channel handlers and read by the
 * worker's main thread once the channel has closed.
 */
final class SessionOutcome {
    private volatile boolean authenticated;
    private volatile String rejection;
    private volatile String endReason = "the manager closed the connection";
    private volatile boolean endedForGood;
    private volatile boolean silent;
    private volatile int deathTimeoutMillis;

    /** @param deathTimeoutMillis how long the manager said a worker may go without word from it */
    void authenticated(int deathTimeoutMillis) {
        this.deathTimeoutMillis = deathTimeoutMillis;
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

    /** The session ended in a way that leaves nothing to come back to: the manager said to shut down, or broke the protocol. */
    void endedForGood(String reason) {
        endedForGood = true;
        endReason = reason;
    }

    /**
     * @return whether the worker should seek its manager again: the session was authenticated and ended
     *     without the manager telling it to go (the manager vanished, and may come back restarted)
     */
    boolean managerVanished() {
        return authenticated && !endedForGood;
    }

    /** The manager was silent for the death timeout: it is presumed gone, and the time to wait for it is spent. */
    void silent(String reason) {
        silent = true;
        endReason = reason;
    }

    /**
     * @return how long to seek a vanished manager, in milliseconds: the death timeout, or 0 when the manager was
     *     silent that long already (a hung manager, whose connection stays open)
     */
    int seekMillis() {
        return silent ? 0 : deathTimeoutMillis;
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
