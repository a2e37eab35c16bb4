package org.jparallel.cli.run;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a task's command die with its worker: on Unix the command runs under a small {@code sh} wrapper that
 * starts it in a process group of its own ({@code setsid}, when there is one) and watches the worker JVM, its
 * parent; when the worker is gone (killed with {@code kill -9}, where no shutdown hook runs), the watcher kills the
 * command's process group within a second. The wrapper exits with the command's exit code.
 */
final class OrphanGuard {
    private static final String SH = "/bin/sh";
    private static final String SCRIPT = String.join("\n",
            "p=$PPID",
            "if command -v setsid >/dev/null 2>&1; then setsid \"$@\" & else \"$@\" & fi",
            "c=$!",
            "( while kill -0 \"$c\" 2>/dev/null; do",
            "    if ! kill -0 \"$p\" 2>/dev/null; then kill -KILL \"-$c\" 2>/dev/null; kill -KILL \"$c\" 2>/dev/null; exit 0; fi",
            "    sleep 1",
            "  done ) </dev/null >/dev/null 2>&1 &",
            "w=$!",
            "wait \"$c\"; s=$?",
            "kill \"$w\" 2>/dev/null",
            "exit \"$s\"");

    private OrphanGuard() {
    }

    /**
     * @param command the program and its arguments
     * @return the command under the wrapper, or the command itself where there is no {@code /bin/sh}
     */
    static List<String> wrap(List<String> command) {
        if (File.separatorChar != '/' || !new File(SH).canExecute()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SH, "-c", SCRIPT, "jparallel-task"));
        wrapped.addAll(command);
        return wrapped;
    }
}
