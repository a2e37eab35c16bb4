package org.jparallel.core.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's warnings about connections it drops or rejects before their handshake completes,
 * rate-limited: a flood of bad peers (1,000 port scans) must not bury the log. In each interval the
 * first few drops are logged in full; the rest are counted by kind and summed up in one line once
 * the interval is over (at the next drop, at {@link #flushIfDue}, which the server calls
 * periodically, or at {@link #flush}). Thread-safe; the clock is injectable for tests.
 */
final class ConnectionDropLog {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerHandshakeHandler.class);
    /** How many drops per interval are logged one by one. */
    static final int FULL_PER_INTERVAL = 5;
    /** The length of an interval. */
    static final long INTERVAL_MILLIS = 10_000;

    private final LongSupplier nanoClock;
    private final Consumer<String> sink;
    private final int fullPerInterval;
    private final long intervalNanos;
    private final Map<String, Integer> suppressed = new LinkedHashMap<>();
    private long windowStart;
    private int inWindow;
    private boolean started;

    /** A log to the manager's logger, on the system clock, with the default limits. */
    ConnectionDropLog() {
        this(System::nanoTime, LOG::warn, FULL_PER_INTERVAL, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
    }

    /**
     * @param nanoClock the time, in nanoseconds, as {@link System#nanoTime} gives it
     * @param sink where warning lines go
     * @param fullPerInterval how many drops per interval are logged in full
     * @param intervalNanos the length of an interval
     */
    ConnectionDropLog(LongSupplier nanoClock, Consumer<String> sink, int fullPerInterval, long intervalNanos) {
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.fullPerInterval = fullPerInterval;
        this.intervalNanos = intervalNanos;
    }

    /**
     * @param kind what happened, briefly and without addresses or numbers that differ per peer (the
     *     summary counts drops by it), e.g. {@code "no handshake in time"}
     * @param line the full warning
     */
    synchronized void dropped(String kind, String line) {
        long now = nanoClock.getAsLong();
        if (!started || now - windowStart >= intervalNanos) {
            summarize(now);
            started = true;
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow++ < fullPerInterval) {
            sink.accept(line);
        } else {
            suppressed.merge(kind, 1, Integer::sum);
        }
    }

    /** Writes the summary of an interval that is over, if it dropped more than it logged. */
    synchronized void flushIfDue() {
        long now = nanoClock.getAsLong();
        if (started && now - windowStart >= intervalNanos) {
            summarize(now);
            started = false;
        }
    }

    /** Writes the summary of the current interval now, if it dropped more than it logged (at close). */
    synchronized void flush() {
        summarize(nanoClock.getAsLong());
        started = false;
    }

    private void summarize(long now) {
        if (suppressed.isEmpty()) {
            return;
        }
        int total = suppressed.values().stream().mapToInt(Integer::intValue).sum();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(Math.min(now - windowStart, intervalNanos)));
        sink.accept("dropped " + total + " more connection(s) within " + seconds + " s, not logged one by one: "
                + suppressed.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
        suppressed.clear();
    }
}
