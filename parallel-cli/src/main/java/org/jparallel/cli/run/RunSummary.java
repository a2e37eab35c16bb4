package org.jparallel.cli.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts a run's outcomes and prints the summary at its end: done (those an earlier run did, by the journal,
 * counted apart), failed with their exit codes, time.
 */
final class RunSummary {
    static final int LISTED_FAILURES = 20;
    private final int total;
    private int succeeded;
    private int fromJournal;
    private final List<String> failures = new ArrayList<>();

    RunSummary(int total) {
        this.total = total;
    }

    void add(TaskOutcome o) {
        if (o.succeeded()) {
            succeeded++;
        } else {
            // a line per failure, not the outcome: its output may be large and is in the log already
            failures.add(o.line());
        }
    }

    /** A task an earlier run finished: its result came from the journal. */
    void addFromJournal() {
        fromJournal++;
    }

    /** @return how many tasks an earlier run finished (their results came from the journal) */
    int fromJournal() {
        return fromJournal;
    }

    int succeeded() {
        return succeeded;
    }

    /** @return how many tasks neither succeeded nor failed (the run stopped early) */
    int notRun() {
        return total - succeeded - fromJournal - failures.size();
    }

    /**
     * @param out where to print
     * @param millis the run's wall time
     * @param workers how many workers connected
     * @param log the log's path
     */
    void print(PrintStream out, long millis, int workers, String log) {
        out.printf(Locale.ROOT, "jparallel run: %d task(s): %d succeeded, %s%d failed%s in %.1f s on %d worker(s); log %s%n",
                total, succeeded, fromJournal > 0 ? fromJournal + " from an earlier run, " : "", failures.size(), notRun() > 0 ? ", " + notRun() + " not run" : "", millis / 1000.0,
                workers, log);
        for (int i = 0; i < Math.min(LISTED_FAILURES, failures.size()); i++) {
            out.println("  " + failures.get(i));
        }
        if (failures.size() > LISTED_FAILURES) {
            out.println("  ... and " + (failures.size() - LISTED_FAILURES) + " more failed task(s): grep ' end] failed' "
                    + log);
        }
        if (!failures.isEmpty()) {
            out.println("  a task's output: jparallel log " + log + " KEY");
        }
    }

    /** @return 0 when every task succeeded (in this run or an earlier one), 1 otherwise */
    int exitCode() {
        return succeeded + fromJournal == total ? 0 : 1;
    }
}
