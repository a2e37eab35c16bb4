package org.jparallel;

/**
 * An exception thrown by user code (a task or a setup) on a worker, rebuilt on the manager.
 *
 * <p>The remote exception's class need not exist on the manager, so it is carried by name: {@link
 * #getRemoteClassName()}. Its message and stack trace are the remote ones, and its cause chain is
 * rebuilt as further {@code RemoteTaskException}s. {@link #toString()} prints the remote class name,
 * so a printed stack trace reads as the original.
 */
public class RemoteTaskException extends JParallelException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * @param remoteClassName the fully qualified class name of the exception thrown on the worker
     * @param remoteMessage its message, may be {@code null}
     * @param stackTrace its stack trace as captured on the worker
     * @param cause the remote cause, rebuilt the same way, or {@code null}
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage,
                               StackTraceElement[] stackTrace, RemoteTaskException cause) {
        super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage, cause);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(stackTrace);
    }

    /** @return the fully qualified name of the exception's class on the worker */
    public String getRemoteClassName() {
        return remoteClassName;
    }

    /** @return the remote exception's own message, without the class name; may be {@code null} */
    public String getRemoteMessage() {
        return remoteMessage;
    }

    @Override
    public String toString() {
        return remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage;
    }
}
