package org.jparallel.core.worker.startup;

import org.slf4j.LoggerFactory;

/**
 * Starts the logging framework's set-up on a thread of its own, first thing in a worker JVM. SLF4J
 * finds its provider with a {@code ServiceLoader} and looks up resources that no jar has, and the
 * first such miss opens every jar of the classpath: about 70 ms with the manager's usual 61 jars
 * (measured on JDK 17), on the path to the worker's first result. While that runs, SLF4J hands
 * other threads substitute loggers and replays what they logged once it is ready, so the main thread
 * goes on to connect instead of waiting. SLF4J would print a notice of that replay to standard
 * error on every start, so its own reports are limited to errors ({@value #VERBOSITY}{@code =ERROR})
 * unless the command line sets them: the manager runs with the same jars and shows SLF4J's
 * warnings (no provider, several providers) in its own output.
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
}
