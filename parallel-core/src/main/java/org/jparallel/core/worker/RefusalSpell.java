package org.jparallel.core.worker;

import java.util.concurrent.TimeUnit;

/**
 * Whether the returning worker of a manager without a journal may presume it gone: when rounds in which every
 * address refused the connection span at least {@link #SPAN_NANOS}, with no other round between them. One refused
 * round proves nothing: a firewall's REJECT rule, a Kubernetes service without endpoints, or a full backlog with
 * {@code tcp_abort_on_overflow} refuse connections while the manager lives. Not thread-safe: the worker's connect
 * loop's own.
 */
final class RefusalSpell {
    /** How long the refusals must last, from the first refused round of the spell to a later one. */
    static final long SPAN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private boolean open;
    private long firstNanos;

    /**
     * @param nobodyListens whether every try of the round was refused by the host
     * @param nowNanos the time of the round's end
     * @return whether the spell of refusals, this round included, spans {@link #SPAN_NANOS}: the manager is gone
     */
    boolean round(boolean nobodyListens, long nowNanos) {
        if (!nobodyListens) {
            open = false; // something else answered (a connect, a timeout): the spell starts again
            return false;
        }
        if (!open) {
            open = true;
            firstNanos = nowNanos;
            return false;
        }
        return nowNanos - firstNanos >= SPAN_NANOS;
    }

    /** Forgets the spell: a session came between. */
    void reset() {
        open = false;
    }
}
