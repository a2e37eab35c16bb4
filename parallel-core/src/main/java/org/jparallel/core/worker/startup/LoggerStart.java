package org.jparallel.core.worker.startup;

import org.slf4j.LoggerFactory;

/**
 * Starts the logging framework's set-up on a thread of its own, first thing in a worker JVM, so
 * that the main thread sets Netty up meanwhile. SLF4J finds its provider with a
 * {@code ServiceLoader} and looks up resources that no jar has, and the first such miss opens every
 * jar of the classpath: about 70 ms with 61 jars, 40 with 21 (measured on JDK 17), on the path to
 * the worker's first result.
 *
 * <p>The main thread {@link #await waits} for the set-up before its first log call. SLF4J hands a
 * logger asked for during the set-up a substitute, records what it is told and replays that when
 * ready; an event logged while it switches over can be lost (it happened to the worker's
 * "connecting to" line when the main thread did not wait). Only Netty's own set-up logs meanwhile,
 * at debug level. SLF4J would print a notice of the replay to standard error on every start, so its
 * own reports are limited to errors ({@value #VERBOSITY}{@code =ERROR}) unless the command line sets
 * them: the manager runs with the same jars and shows SLF4J's warnings (no provider, several
 * providers) in its own output.
 */
public final class LoggerStart {
    /** The property that sets how much SLF4J reports about itself. */
    public static final String VERBOSITY = "slf4j.internal.verbosity";

    private LoggerStart() {
    }

    /**
     * Starts the set-up on a daemon thread.
     *
     * @return the thread
     */
    public static Thread begin() {
        if (System.getProperty(VERBOSITY) == null) {
            System.setProperty(VERBOSITY, "ERROR");
        }
        // a class, not a method reference: the JVM's first lambda bootstraps the method-handle
        // machinery (milliseconds), and the main thread would reach its first logger first
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                LoggerFactory.getILoggerFactory();
            }
        }, "jparallel-logger-start");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for the set-up started by {@link #begin()}; after it, every logger is the real one.
     *
     * @param t the thread {@link #begin()} returned
     */
    public static void await(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
