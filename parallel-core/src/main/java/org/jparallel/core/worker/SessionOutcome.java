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
    private volatile boolean resumable;

    /**
     * @param deathTimeoutMillis how long the manager said a worker may go without word from it
     * @param resumable whether the manager said it can be resumed (it keeps a journal)
     */
    void authenticated(int deathTimeoutMillis, boolean resumable) {
        this.deathTimeoutMillis = deathTimeoutMillis;
        this.resumable = resumable;
        authenticated = true;
    }

    /**
     * @return whether a manager restarted after this one's death may take the worker back (the manager keeps a
     *     journal): only then is it worth seeking a manager whose address nobody listens at any more
     */
    boolean managerResumable() {
        return resumable;
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
