package org.jparallel.cli.run;

import java.util.Base64;
import java.util.Optional;

/**
 * Thrown on the worker when a task's command exits with a non-zero code, so the task fails (and the retry budget
 * applies). Its message says the exit code and shows the last lines of the error output; after a marker line it
 * carries the whole captured output, encoded, so the manager can still write a failed task's output to the run's
 * log ({@link #decode}).
 */
public final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The line that separates the readable message from the encoded output. */
    static final String MARKER = "\n--- jparallel run: captured output ---\n";
    static final int STDERR_TAIL_LINES = 20;

    CommandFailedException(CommandOutput output) {
        super(readable(output) + MARKER + encode(output));
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
     * @param message a remote exception's message
     * @return the part before the encoded output
     */
    static String readablePart(String message) {
        int at = message == null ? -1 : message.indexOf(MARKER);
        return at < 0 ? message : message.substring(0, at);
    }

    /**
     * @param message the remote message of a {@code CommandFailedException}
     * @return the output it carries, or empty when it carries none
     */
    static Optional<CommandOutput> decode(String message) {
        int at = message == null ? -1 : message.indexOf(MARKER);
        if (at < 0) {
            return Optional.empty();
        }
        try {
            String s = message.substring(at + MARKER.length());
            int colon = s.indexOf(':');
            int keyLength = Integer.parseInt(s.substring(0, colon));
            String key = s.substring(colon + 1, colon + 1 + keyLength);
            String[] f = s.substring(colon + 2 + keyLength).split(" ", -1);
            Base64.Decoder d = Base64.getDecoder();
            return Optional.of(new CommandOutput(key, Integer.parseInt(f[0]), d.decode(f[4]), Long.parseLong(f[2]),
                    d.decode(f[5]), Long.parseLong(f[3]), Long.parseLong(f[1])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
