package org.jparallel.core.worker.startup;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger of a worker's start ({@link WorkerLogs}), for the worker's classes and, through its
 * {@link Factory}, for Netty's (which keep their loggers in static fields): while logging is deferred it
 * records every message and answers every level as enabled (the configuration that says otherwise is
 * what is not read yet; the replay then drops what the configuration turns off); a WARN or ERROR sets
 * logging up at once. Afterwards it forwards each call and each level question to the SLF4J logger of
 * its name.
 */
final class DeferredLogger extends AbstractInternalLogger {
    private static final long serialVersionUID = 1L;
    /** The SLF4J logger, once logging is set up. */
    private transient volatile Logger target;

    DeferredLogger(String name) {
        super(name);
    }

    /** Netty's logger factory in a worker JVM: deferring loggers. */
    static final class Factory extends InternalLoggerFactory {
        @Override
        protected InternalLogger newInstance(String name) {
            return new DeferredLogger(name);
        }
    }

    private static boolean deferring() {
        return WorkerLogs.deferring();
    }

    private Logger target() {
        Logger t = target;
        if (t == null) {
            t = LoggerFactory.getLogger(name());
            target = t;
        }
        return t;
    }

    private void give(InternalLogLevel level, String message, Object[] args, Throwable thrown) {
        if (deferring()) {
            if (level.compareTo(InternalLogLevel.WARN) >= 0) {
                // what came before first; during a replay (this thread's or another's) it returns and this is
                // recorded, for the replay's next round
                WorkerLogs.setUpUnlessReplaying();
            }
            if (WorkerLogs.record(level, name(), message, args, thrown)) {
                return;
            }
        }
        if (WorkerLogs.failed()) {
            if (level.compareTo(InternalLogLevel.INFO) >= 0) {
                WorkerLogs.printPlain(Thread.currentThread().getName(), level, name(), message, args, thrown);
            }
            return;
        }
        WorkerLogs.forward(target(), level, message, args, thrown);
    }

    /** @return whether a level is on: all while deferred, INFO and above once SLF4J failed, else SLF4J's answer */
    private boolean enabled(InternalLogLevel level) {
        if (deferring()) {
            return true;
        }
        if (WorkerLogs.failed()) {
            return level.compareTo(InternalLogLevel.INFO) >= 0;
        }
        return switch (level) {
            case TRACE -> target().isTraceEnabled();
            case DEBUG -> target().isDebugEnabled();
            case INFO -> target().isInfoEnabled();
            case WARN -> target().isWarnEnabled();
            default -> target().isErrorEnabled();
        };
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(InternalLogLevel.TRACE);
    }

    @Override
    public void trace(String msg) {
        give(InternalLogLevel.TRACE, msg, null, null);
    }

    @Override
    public void trace(String format, Object arg) {
        give(InternalLogLevel.TRACE, format, new Object[] {arg}, null);
    }

    @Override
    public void trace(String format, Object argA, Object argB) {
        give(InternalLogLevel.TRACE, format, new Object[] {argA, argB}, null);
    }

    @Override
    public void trace(String format, Object... arguments) {
        give(InternalLogLevel.TRACE, format, arguments, null);
    }

    @Override
    public void trace(String msg, Throwable t) {
        give(InternalLogLevel.TRACE, msg, null, t);
    }
    @Override
    public boolean isDebugEnabled() {
        return enabled(InternalLogLevel.DEBUG);
    }

    @Override
    public void debug(String msg) {
        give(InternalLogLevel.DEBUG, msg, null, null);
    }

    @Override
    public void debug(String format, Object arg) {
        give(InternalLogLevel.DEBUG, format, new Object[] {arg}, null);
    }

    @Override
    public void debug(String format, Object argA, Object argB) {
        give(InternalLogLevel.DEBUG, format, new Object[] {argA, argB}, null);
    }

    @Override
    public void debug(String format, Object... arguments) {
        give(InternalLogLevel.DEBUG, format, arguments, null);
    }

    @Override
    public void debug(String msg, Throwable t) {
        give(InternalLogLevel.DEBUG, msg, null, t);
    }
    @Override
    public boolean isInfoEnabled() {
        return enabled(InternalLogLevel.INFO);
    }

    @Override
    public void info(String msg) {
        give(InternalLogLevel.INFO, msg, null, null);
    }

    @Override
    public void info(String format, Object arg) {
        give(InternalLogLevel.INFO, format, new Object[] {arg}, null);
    }

    @Override
    public void info(String format, Object argA, Object argB) {
        give(InternalLogLevel.INFO, format, new Object[] {argA, argB}, null);
    }

    @Override
    public void info(String format, Object... arguments) {
        give(InternalLogLevel.INFO, format, arguments, null);
    }

    @Override
    public void info(String msg, Throwable t) {
        give(InternalLogLevel.INFO, msg, null, t);
    }
    @Override
    public boolean isWarnEnabled() {
        return enabled(InternalLogLevel.WARN);
    }

    @Override
    public void warn(String msg) {
        give(InternalLogLevel.WARN, msg, null, null);
    }

    @Override
    public void warn(String format, Object arg) {
        give(InternalLogLevel.WARN, format, new Object[] {arg}, null);
    }

    @Override
    public void warn(String format, Object argA, Object argB) {
        give(InternalLogLevel.WARN, format, new Object[] {argA, argB}, null);
    }

    @Override
    public void warn(String format, Object... arguments) {
        give(InternalLogLevel.WARN, format, arguments, null);
    }

    @Override
    public void warn(String msg, Throwable t) {
        give(InternalLogLevel.WARN, msg, null, t);
    }
    @Override
    public boolean isErrorEnabled() {
        return enabled(InternalLogLevel.ERROR);
    }

    @Override
    public void error(String msg) {
        give(InternalLogLevel.ERROR, msg, null, null);
    }

    @Override
    public void error(String format, Object arg) {
        give(InternalLogLevel.ERROR, format, new Object[] {arg}, null);
    }

    @Override
    public void error(String format, Object argA, Object argB) {
        give(InternalLogLevel.ERROR, format, new Object[] {argA, argB}, null);
    }

    @Override
    public void error(String format, Object... arguments) {
        give(InternalLogLevel.ERROR, format, arguments, null);
    }

    @Override
    public void error(String msg, Throwable t) {
        give(InternalLogLevel.ERROR, msg, null, t);
    }
}
