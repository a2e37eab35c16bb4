package org.jparallel.cli.run;

import java.util.List;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;

/**
 * How one task of a run ended, as the summary and the log tell it.
 *
 * @param key the task's key
 * @param exitCode the command's exit code, or {@code null} when it did not run to an end (timed out, its worker
 *     lost, it could not start)
 * @param reason one line: {@code exit 0}, {@code exit code 3}, {@code timed out (...)}, ...
 * @param output what the command printed, or {@code null} when nothing came back
 */
public record TaskOutcome(String key, Integer exitCode, String reason, CommandOutput output) {

    /** @return whether the command ran and exited with 0 */
    public boolean succeeded() {
        return exitCode != null && exitCode == 0;
    }

    /** @return one line: {@code task KEY REASON}, and the last line of its error output if any */
    public String line() {
        String last = output == null ? "" : output.stderrTail(1);
        return "task " + key + " " + reason + (last.isEmpty() ? "" : ": " + last);
    }

    static TaskOutcome succeeded(CommandOutput o) {
        return new TaskOutcome(o.key(), 0, "exit 0 in " + RunLog.seconds(o.millis() / 1000.0), o);
    }

    /**
     * @param key the failed task's key
     * @param e its failure
     * @return the outcome: the exit code and output when the command exited non-zero, else what happened
     */
    static TaskOutcome failed(String key, TaskFailedException e) {
        List<TaskAttempt> attempts = e.getAttempts();
        TaskAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        String tries = attempts.size() > 1 ? " (" + attempts.size() + " attempts)" : "";
        if (last == null) {
            return new TaskOutcome(key, null, "failed: " + firstLine(e.getMessage()), null);
        }
        RemoteTaskException cause = last.cause();
        if (last.outcome() == TaskAttempt.Outcome.THREW && cause != null
                && CommandFailedException.class.getName().equals(cause.getRemoteClassName())) {
            CommandOutput o = cause.getCause() instanceof RemoteTaskException captured
                    && CommandFailedException.CapturedOutput.class.getName().equals(captured.getRemoteClassName())
                    ? CommandFailedException.decode(captured.getRemoteMessage()).orElse(null) : null;
            if (o != null) {
                return new TaskOutcome(key, o.exitCode(), "failed: exit code " + o.exitCode() + tries, o);
            }
        }
        String what = switch (last.outcome()) {
            case TIMED_OUT -> "timed out";
            case WORKER_LOST -> "its worker was lost";
            case WALLTIME -> "its worker reached its walltime";
            case THREW -> cause == null ? "threw" : "could not run: " + firstLine(cause.getRemoteMessage());
        };
        return new TaskOutcome(key, null, "failed: " + what + tries + " (" + firstLine(last.detail()) + ")", null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
