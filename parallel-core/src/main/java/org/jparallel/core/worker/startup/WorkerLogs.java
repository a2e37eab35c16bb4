package org.jparallel.core.worker.startup;

import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A fresh worker's logging, kept away from SLF4J until its first result is out: SLF4J's set-up opens
 * every jar of the classpath (its provider lookup, then the logger's configuration file), about a
 * third of the time from the worker's {@code main} to its first result
 * (docs/benchmarks/2026-12-07-cold6.md). {@link #defer} (the worker's {@code main}, before any Netty
 * class loads) makes the worker's loggers and Netty's ({@link DeferredLogger}) record what they are
 * given; {@link #setUp} sets SLF4J up, replays the records into it in their order (each under the name
 * of the thread that logged it; the time a line shows, if the configuration shows one, is the replay's),
 * and from then on the loggers forward to SLF4J at once. It runs at the first of: the first batch of
 * results handed on (the task thread, between tasks), a WARN or ERROR
 * (at once, on the thread logging it), a round of connection attempts that found no manager, the
 * worker's exit, and {@link #SET_UP_AFTER_MILLIS} after the start (for a first task that runs long). A set-up
 * that finds SLF4J's own set-up begun by a task's thread waits for it, so the replay does not go to SLF4J's
 * stand-in loggers; the other way round (this set-up first, a task's thread asking SLF4J meanwhile: the timer's,
 * a warning's, or a task's own threads') SLF4J answers that thread with a stand-in logger, which slf4j-simple
 * can leave silent. A worker of several slots sets it up
 * before its first task instead, since its tasks run beside each other. Arguments are kept as given and
 * formatted at the replay. Lines recorded by a worker killed before the set-up (kill -9, a JVM abort within its
 * first task) are lost; a SIGTERM replays them in a shutdown hook. In any other JVM (the manager, tests)
 * nothing is deferred.
 */
public final class WorkerLogs {
    /** At most this many records are kept; later ones are counted, and the count logged at the replay. */
    static final int MAX_RECORDS = 10_000;
    /** A worker without a first result this long after its start sets its logging up anyway. */
    static final long SET_UP_AFTER_MILLIS = 2_000;

    private static final Object LOCK = new Object();
    /** Held while SLF4J is set up and the records replayed. */
    private static final ReentrantLock SETTING_UP = new ReentrantLock();
    private static volatile boolean deferring;
    /** Whether SLF4J could not be set up. */
    private static volatile boolean failed;
    /** Guarded by LOCK. */
    private static final List<Record> RECORDS = new ArrayList<>();
    /** Guarded by LOCK. */
    private static int dropped;

    private WorkerLogs() {
    }

    /** One message given before SLF4J was set up. */
    private record Record(InternalLogLevel level, String name, String message, Object[] args, Throwable thrown,
            String thread) {
    }

    /**
     * Starts recording the worker's log lines instead of giving them to SLF4J, and nothing else (no Netty class
     * loads): the worker's {@code main} calls it before it starts its warm-up thread, whose failures are logged, and
     * calls {@link #defer} right after.
     */
    public static void startRecording() {
        deferring = true;
    }

    /**
     * Defers the worker's logging and makes Netty's loggers deferring ones; call early in the worker's
     * {@code main}, before any Netty class loads but for the property defaults.
     */
    public static void defer() {
        defer(SET_UP_AFTER_MILLIS);
    }

    /** @param setUpAfterMillis how long after now logging is set up at the latest */
    static void defer(long setUpAfterMillis) {
        deferring = true;
        InternalLoggerFactory.setDefaultFactory(new DeferredLogger.Factory());
        Runtime.getRuntime().addShutdownHook(new Thread("jparallel-log-flush") {
            @Override
            public void run() {
                setUp();
            }
        });
        Thread late = new Thread("jparallel-log-setup") {
            @Override
            public void run() {
                try {
                    Thread.sleep(setUpAfterMillis);
                } catch (InterruptedException e) {
                    return;
                }
                setUp();
            }
        };
        late.setDaemon(true);
        late.start();
    }

    /** @return a logger for the worker's classes: it records while logging is deferred, then forwards to SLF4J */
    public static InternalLogger logger(Class<?> owner) {
        return new DeferredLogger(owner.getName());
    }

    /** @return true while the worker's logging waits for its set-up */
    public static boolean deferring() {
        return deferring;
    }

    /**
     * Sets SLF4J up (waiting for a set-up another thread began), replays the records in order (outside the
     * records' lock, so that loggers keep recording meanwhile, those lines replayed after), and makes every
     * logger forward from then on. Idempotent; threads that call it at the same time wait for the first; it
     * never throws (a failed set-up is said on standard error, with the lines kept).
     */
    public static void setUp() {
        if (!deferring || SETTING_UP.isHeldByCurrentThread()) {
            return; // nested in this thread's replay (a line logged while formatting one): recorded, replayed next
        }
        SETTING_UP.lock();
        setUpLocked();
    }

    /**
     * Sets logging up as {@link #setUp} does, unless a replay is under way: a warning then does not wait for it
     * (the replay could be formatting an argument that waits for the warning's thread); the caller records it
     * and the replay writes it in a later round, or, when the replay has ended, writes it itself.
     */
    static void setUpUnlessReplaying() {
        if (deferring && !SETTING_UP.isHeldByCurrentThread() && SETTING_UP.tryLock()) {
            setUpLocked();
        }
    }

    /** @return whether SLF4J could not be set up: the loggers then write INFO and above to standard error */
    static boolean failed() {
        return failed;
    }

    /** The set-up, with {@link #SETTING_UP} held by this thread; releases it. */
    private static void setUpLocked() {
        try {
            if (deferring) {
                replayAll();
            }
        } catch (ReplayFailed e) {
            // said by givenUp
        } catch (RuntimeException | Error e) { // never into the worker's or Netty's code: say it where users look
            try {
                givenUp(e, List.of(), 0);
            } catch (RuntimeException | Error ignored) {
                // standard error itself failed: nothing is left to say it on
            }
        } finally {
            SETTING_UP.unlock();
        }
    }

    private static void replayAll() {
        // SLF4J sets itself up under its class's lock and answers a thread that asks meanwhile with stand-in
        // loggers, whose lines slf4j-simple drops: wait here for a set-up another thread (a task's first
        // logger) has begun, so that the replay goes to the real loggers
        synchronized (LoggerFactory.class) {
            LoggerFactory.getILoggerFactory();
        }
        while (true) {
            List<Record> chunk;
            int lost;
            // outside the records' lock while replaying: a line logged meanwhile (by this thread, formatting an
            // argument, or by another) is recorded and replayed in the next round, in its order
            synchronized (LOCK) {
                if (RECORDS.isEmpty() && dropped == 0) {
                    deferring = false;
                    return;
                }
                chunk = new ArrayList<>(RECORDS);
                RECORDS.clear();
                lost = dropped;
                dropped = 0;
            }
            replay(chunk, lost);
            if (lost > 0) {
                LoggerFactory.getLogger(WorkerLogs.class).warn("{} log messages given before the logging was set up "
                        + "were dropped (at most {} are kept)", lost, MAX_RECORDS);
            }
        }
    }

    /** Replays records; when SLF4J fails on one, it and those after it go to {@link #givenUp}. */
    private static void replay(List<Record> records, int lost) {
        Thread current = Thread.currentThread();
        String own = current.getName();
        int i = 0;
        try {
            for (; i < records.size(); i++) {
                Record r = records.get(i);
                current.setName(r.thread);
                forward(LoggerFactory.getLogger(r.name), r.level, r.message, r.args, r.thrown);
            }
        } catch (RuntimeException | Error e) {
            current.setName(own);
            givenUp(e, records.subList(i, records.size()), lost);
            throw new ReplayFailed();
        } finally {
            current.setName(own);
        }
    }

    /** Ends a replay whose lines {@link #givenUp} has written already. */
    private static final class ReplayFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayFailed() {
            super(null, null, false, false);
        }
    }

    /**
     * The set-up failed: the failure and the lines kept (those not replayed, then those recorded) go to standard
     * error as they are, and the loggers write there from now on ({@link #failed}).
     */
    private static void givenUp(Throwable e, List<Record> notReplayed, int lost) {
        List<Record> left = new ArrayList<>(notReplayed);
        int dropping;
        synchronized (LOCK) {
            if (failed) {
                return;
            }
            left.addAll(RECORDS);
            RECORDS.clear();
            dropping = lost + dropped;
            dropped = 0;
            failed = true;
            deferring = false;
        }
        System.err.println("jparallel worker: its logging could not be set up (" + e.getClass().getName() + "); its "
                + "lines go to standard error from now on, INFO and above, these first" + (dropping > 0 ? " (" + dropping
                + " more were dropped, at most " + MAX_RECORDS + " are kept)" : "") + ":");
        for (Record r : left) {
            if (r.level.compareTo(InternalLogLevel.INFO) >= 0) {
                printPlain(r.thread, r.level, r.name, r.message, r.args, r.thrown);
            }
        }
    }

    /** Writes a line to standard error without SLF4J (after it failed), with its throwable's stack; never throws. */
    static void printPlain(String thread, InternalLogLevel level, String name, String message, Object[] args,
            Throwable thrown) {
        try {
            System.err.println("[" + thread + "] " + level + " " + name + " - " + message
                    + (args == null ? "" : " " + java.util.Arrays.toString(args)));
            if (thrown != null) {
                thrown.printStackTrace();
            }
        } catch (RuntimeException | Error e) { // an argument's or the throwable's toString
            System.err.println("[" + thread + "] " + level + " " + name + " - " + message + " (not all of it could be "
                    + "written: " + e.getClass().getName() + ")");
        }
    }

    /**
     * Records a message while logging is deferred.
     *
     * @param args the message's arguments, kept as given: they are formatted at the replay
     * @return false when logging is no longer deferred: the caller forwards the message itself
     */
    static boolean record(InternalLogLevel level, String name, String message, Object[] args, Throwable thrown) {
        synchronized (LOCK) {
            if (!deferring) {
                return false;
            }
            if (RECORDS.size() < MAX_RECORDS) {
                RECORDS.add(new Record(level, name, message, args, thrown, Thread.currentThread().getName()));
            } else {
                dropped++;
            }
            return true;
        }
    }

    /** Logs a message on an SLF4J logger, as the SLF4J call of the same shape would. */
    static void forward(Logger to, InternalLogLevel level, String message, Object[] args, Throwable thrown) {
        // one call for every level: byte for byte what trace/debug/info/warn/error(message[, args | thrown]) write
        LoggingEventBuilder line = to.atLevel(Level.valueOf(level.name())).setCause(thrown);
        if (args == null) {
            line.log(message);
        } else {
            line.log(message, args);
        }
    }
}
