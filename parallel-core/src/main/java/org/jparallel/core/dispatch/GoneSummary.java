package org.jparallel.core.dispatch;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.jparallel.WorkerInfo;

/**
 * What became of the gone workers, for the error a reader gets when none is left ({@code NoMoreWorkersException}):
 * a line for each of the latest {@link #LINES}, and a hint when some were lost while they held a single task. The
 * hint is worked out over all the gone workers, not only those listed, and counts them: a task that ended its
 * workers early in a long run is still named once they have scrolled out of the list, and the counts say how many
 * of them the list shows, so the hint never describes a line the reader cannot find without saying so. Built only
 * when the error needs it (a walk over every worker ever seen), on the dispatcher thread.
 */
final class GoneSummary {
    /** At most how many gone workers are listed (the latest): a long run replaces many. */
    static final int LINES = 20;
    /** At most how many tasks the hint names. */
    static final int TASKS_NAMED = 10;

    private GoneSummary() {
    }

    /** @return a line per gone worker (the latest {@link #LINES}) and the hint, over {@code slots} in id order */
    static String of(Collection<WorkerSlot> slots) {
        ArrayDeque<WorkerSlot> latest = new ArrayDeque<>(LINES + 1);
        int gone = 0;
        boolean stopped = false;
        int crashes = 0;
        Set<Long> crashTasks = new TreeSet<>();
        for (WorkerSlot s : slots) {
            if (!s.isAvailable()) {
                gone++;
                latest.addLast(s);
                if (latest.size() > LINES) {
                    latest.removeFirst();
                }
            }
            if (s.state == WorkerInfo.State.LOST) {
                stopped |= s.replacementsStopped;
                if (s.lostHoldingTask >= 0) {
                    crashes++;
                    crashTasks.add(s.lostHoldingTask);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(gone).append(" of ").append(slots.size()).append(" worker(s) are gone:");
        if (gone > latest.size()) {
            b.append("\n  (").append(gone - latest.size()).append(" more before these)");
        }
        int crashesListed = 0;
        for (WorkerSlot s : latest) {
            b.append("\n  ").append(s.name()).append(": ").append(s.state.name().toLowerCase())
                    .append(s.detail.isEmpty() ? "" : " - " + s.detail.replace("\n", "\n    "));
            if (s.state == WorkerInfo.State.LOST && s.lostHoldingTask >= 0) {
                b.append(lostHolding(s.lostHoldingTask));
                crashesListed++;
            }
        }
        if (crashes > 0) {
            crashHint(b, gone, crashes, crashesListed, crashTasks, stopped);
        }
        return b.toString();
    }

    /** @return what a lost worker's line adds when the loss is charged to the one task it held */
    static String lostHolding(long taskId) {
        return " while it held only task " + taskId;
    }

    private static void crashHint(StringBuilder b, int gone, int crashes, int listed, Set<Long> tasks,
            boolean stopped) {
        b.append("\n").append(crashes).append(" of the ").append(gone).append(" gone worker(s) ")
                .append(crashes == 1 ? "was" : "were").append(" lost while ").append(crashes == 1 ? "it" : "each")
                .append(" held only one task (").append(tasks.size() == 1 ? "task " : "tasks ");
        int named = 0;
        for (long id : tasks) {
            if (named == TASKS_NAMED) {
                b.append(", ...");
                break;
            }
            b.append(named++ == 0 ? "" : ", ").append(id);
        }
        b.append("; ").append(listed == crashes ? (crashes == 1 ? "it is" : "all are") : listed + " of them")
                .append(" listed above): such a worker was probably ended by that task (System.exit, a crash in native"
                + " code, a kill): it runs again on each worker left, until it has lost maxLostAttempts workers. ");
        b.append(stopped
                ? "Lost workers are replaced by default, but here the guard against a loop stopped replacing"
                + " them: their group lost more workers in a row than its limit with no answer from a worker"
                + " started since the first (see the workers' details); two such tasks back to back, or a setup that"
                + " kills every worker, do that."
                : "Lost workers are replaced unless replaceLostWorkers (jparallel.manager.replace-lost-workers)"
                + " is 0 or spent (by default it is unlimited), and such a task then fails alone while the"
                + " others run.");
    }
}
