package org.jparallel.cli.run;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * What one run of a task's command left: its exit code, and its standard output and error as kept by an
 * {@link OutputCapture} (head and tail, the number of bytes dropped between them).
 *
 * @param key the task's key
 * @param exitCode the process's exit code
 * @param stdout the output kept
 * @param stdoutDropped bytes of output dropped
 * @param stderr the error output kept
 * @param stderrDropped bytes of error output dropped
 * @param millis how long the process ran
 */
public record CommandOutput(String key, int exitCode, byte[] stdout, long stdoutDropped, byte[] stderr,
                            long stderrDropped, long millis) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** @return the output as text (UTF-8) */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** @return the error output as text (UTF-8) */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * @param lines how many
     * @return the last lines of the error output
     */
    public String stderrTail(int lines) {
        String text = stderrText().stripTrailing();
        int at = text.length();
        for (int i = 0; i < lines && at > 0; i++) {
            at = text.lastIndexOf('\n', at - 1);
            if (at < 0) {
                return text;
            }
        }
        return at <= 0 ? text : text.substring(at + 1);
    }
}
