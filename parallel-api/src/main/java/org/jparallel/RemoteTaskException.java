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
    /**
     * The {@linkplain #getRemoteClassName() remote class name} of the failure of a task that ran but whose result
     * cannot be sent: it (or something it refers to) is not {@code Serializable}, its {@code writeObject} threw, or
     * its object graph is too deep to serialize. No such class exists; the name is the worker's, so compare it:
     * {@code RESULT_NOT_SERIALIZABLE.equals(e.getRemoteClassName())}. The message names the result's class. The
     * task is not tried again, whatever {@code taskRetries}: the same result would fail the same way.
     */
    public static final String RESULT_NOT_SERIALIZABLE = "org.jparallel.ResultNotSerializableException";

    /**
     * The {@linkplain #getRemoteClassName() remote class name} of the failure of a task whose result, serialized, is
     * over the manager's limit per message ({@code ManagerBuilder.maxFrameBytes}); the message gives both sizes.
     * As with {@link #RESULT_NOT_SERIALIZABLE}, no such class exists, and the task is not tried again.
     */
    public static final String RESULT_TOO_LARGE = "org.jparallel.ResultTooLargeException";

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
