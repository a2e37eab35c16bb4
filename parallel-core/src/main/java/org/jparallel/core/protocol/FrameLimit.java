package org.jparallel.core.protocol;

/**
 * The manager's frame limit ({@code maxFrameBytes}) applied where a payload is made, not where it
 * arrives: a frame over the limit breaks the connection that carries it, which cost a worker per
 * attempt and read as a crashing task. So a task or setup too big is refused when it is added, and
 * a result too big becomes that task's failure on the worker. Both say the size, the limit and the
 * setting.
 */
public final class FrameLimit {
    /** How a user changes the limit. */
    public static final String SETTING = "ManagerBuilder.maxFrameBytes / jparallel.manager.max-frame-bytes";

    /** The bytes a TASK or RESULT frame's length counts besides its payload: type byte, id, int. */
    private static final int TASK_OR_RESULT_OVERHEAD = 1 + 8 + 4;
    /** Those of a SETUP frame: type byte, context id. */
    private static final int SETUP_OVERHEAD = 1 + 4;
    /** Those of a FAILURE frame: type byte, task id. */
    private static final int FAILURE_OVERHEAD = 1 + 8;

    private FrameLimit() {
    }

    /**
     * @param payloadBytes a serialized task's length
     * @throws IllegalArgumentException when its frame would be over {@code maxFrameBytes}
     */
    public static void checkTask(int payloadBytes, int maxFrameBytes) {
        if (payloadBytes > maxFrameBytes - TASK_OR_RESULT_OVERHEAD) {
            throw new IllegalArgumentException(tooBig("the task", payloadBytes, maxFrameBytes)
                    + ": raise the limit, or make the task smaller (data every task needs can come from the"
                    + " context's setup, which a worker gets once)");
        }
    }

    /**
     * @param payloadBytes a serialized setup's length
     * @throws IllegalArgumentException when its frame would be over {@code maxFrameBytes}
     */
    public static void checkSetup(int payloadBytes, int maxFrameBytes) {
        if (payloadBytes > maxFrameBytes - SETUP_OVERHEAD) {
            throw new IllegalArgumentException(tooBig("the setup", payloadBytes, maxFrameBytes)
                    + ": raise the limit, or let the setup load its data on the worker (from a file or a URL)");
        }
    }

    /**
     * @param payloadBytes a result's length on the wire (its format byte included)
     * @return why the result cannot be sent, or {@code null} when it fits
     */
    public static String resultTooBig(long taskId, long payloadBytes, int maxFrameBytes) {
        if (payloadBytes <= maxFrameBytes - TASK_OR_RESULT_OVERHEAD) {
            return null;
        }
        return tooBig("the result of task " + taskId, payloadBytes, maxFrameBytes)
                + ", so the worker did not send it: raise the limit, or return less (e.g. write the data to a"
                + " shared file and return its name)";
    }

    /** @return true when a failure of {@code payloadBytes} fits in a frame */
    public static boolean failureFits(int payloadBytes, int maxFrameBytes) {
        return payloadBytes <= maxFrameBytes - FAILURE_OVERHEAD;
    }

    private static String tooBig(String what, long payloadBytes, int maxFrameBytes) {
        return what + " is " + payloadBytes + " bytes serialized, over the limit of " + maxFrameBytes
                + " bytes per message (" + SETTING + ")";
    }
}
