package org.jparallel.cli.run;

import java.util.Base64;
import java.util.Optional;

/**
 * Thrown on the worker when a task's command exits with a non-zero code, so the task fails (and the retry budget
 * applies). Its message says the exit code and shows the last lines of the error output, which is what the attempt
 * list, the progress display and the status page show; its cause, a {@link CapturedOutput}, carries the whole
 * captured output, encoded, so the manager can still write a failed task's output to the run's log ({@link
 * #decode}).
 */
public final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    static final int STDERR_TAIL_LINES = 20;

    CommandFailedException(CommandOutput output) {
        super(readable(output), new CapturedOutput(encode(output)));
    }

    /** The cause of a {@link CommandFailedException}: the command's whole captured output in its message. */
    public static final class CapturedOutput extends Exception {
        private static final long serialVersionUID = 1L;

        CapturedOutput(String encoded) {
            super(encoded, null, false, false);
        }
    }

    private static String readable(CommandOutput o) {
        String tail = o.stderrTail(STDERR_TAIL_LINES);
        return "exit code " + o.exitCode() + (tail.isEmpty() ? " (no error output)"
                : "; error output (last " + STDERR_TAIL_LINES + " lines):\n" + tail);
    }

    private static String encode(CommandOutput o) {
        Base64.Encoder b = Base64.getEncoder();
        return o.key().length() + ":" + o.key() + " " + o.exitCode() + " " + o.millis() + " " + o.stdoutDropped() + " "
                + o.stderrDropped() + " " + b.encodeToString(o.stdout()) + " " + b.encodeToString(o.stderr());
    }

    /**
     * @param encoded the (remote) message of a {@link CapturedOutput}
     * @return the output it carries, or empty when it is not one
     */
    static Optional<CommandOutput> decode(String encoded) {
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            int colon = encoded.indexOf(':');
            int keyLength = Integer.parseInt(encoded.substring(0, colon));
            String key = encoded.substring(colon + 1, colon + 1 + keyLength);
            String[] f = encoded.substring(colon + 2 + keyLength).split(" ", -1);
            Base64.Decoder d = Base64.getDecoder();
            return Optional.of(new CommandOutput(key, Integer.parseInt(f[0]), d.decode(f[4]), Long.parseLong(f[2]),
                    d.decode(f[5]), Long.parseLong(f[3]), Long.parseLong(f[1])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
