package org.jparallel.core.serial;

import java.io.Serializable;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jparallel.RemoteTaskException;

/**
 * A worker-side exception reduced to what always deserializes on the manager: class name, message,
 * stack trace and cause chain. The exception object itself is never sent, as its class may not
 * exist on the manager (or may not be serializable).
 *
 * @param className the exception's class name
 * @param message its message, may be {@code null}
 * @param stackTrace its stack trace
 * @param cause its cause, or {@code null}
 */
public record RemoteFailure(String className, String message, StackTraceElement[] stackTrace,
                            RemoteFailure cause) implements Serializable {

    /** @return the failure of {@code t} and its causes (cycles cut) */
    public static RemoteFailure of(Throwable t) {
        return of(t, new IdentityHashMap<>());
    }

    private static RemoteFailure of(Throwable t, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return null;
        }
        String cls = t instanceof RemoteTaskException r ? r.getRemoteClassName() : t.getClass().getName();
        String msg = t instanceof RemoteTaskException r ? r.getRemoteMessage() : t.getMessage();
        return new RemoteFailure(cls, msg, t.getStackTrace(), of(t.getCause(), seen));
    }

    /**
     * @param className a synthetic class name for a failure jparallel itself detected on the worker
     * @param message what happened
     * @param cause the underlying failure, or {@code null}
     * @return the failure, without a stack trace of its own
     */
    public static RemoteFailure synthetic(String className, String message, Throwable cause) {
        return new RemoteFailure(className, message, new StackTraceElement[0], of(cause));
    }

    /** @return the exception as the manager's user sees it */
    public RemoteTaskException toException() {
        return new RemoteTaskException(className, message, stackTrace,
                cause == null ? null : cause.toException());
    }
}
