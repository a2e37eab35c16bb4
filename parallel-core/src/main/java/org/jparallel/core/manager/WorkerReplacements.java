package org.jparallel.core.manager;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.WorkerLoss;
import org.jparallel.spi.WorkerGroup;

/**
 * Decides whether a worker that is gone is replaced by a new one of its group, within the manager's
 * {@code replaceLostWorkers} budget (by default {@linkplain ManagerSettings#UNLIMITED_REPLACEMENTS
 * none}); one place for the rule, so that the manager only starts what it is told.
 * <ul>
 * <li>A worker lost after it connected is replaced, unless it was draining (it was replaced when it began
 *     to). Without a fixed budget (a fixed budget is its own bound, as the program asked), not once its
 *     group's workers were lost more than {@link #lostInARowLimit} times in a row ({@code max(}{@link
 *     #FAILED_STARTS_PER_WORKER}{@code , maxLostAttempts)} per worker of the group) with no worker of the
 *     group started since the first of them answering a task: something kills every worker (a setup, a
 *     static initialiser, the JVM, a bad node), and replacing them would loop for ever. Only {@linkplain
 *     WorkerLoss#UNASKED unasked-for} losses count, not workers the manager stopped nor those whose lifetime
 *     ended. A task that kills its worker needs at most {@code maxLostAttempts + 1} losses in a row to fail
 *     (its first loss is not charged to it when its worker held other tasks too; the limit is at least that), and
 *     the other tasks' answers, on its replacements, start the count again in between.</li>
 * <li>A worker that failed to start (it exited, was killed, or did not connect in time) is replaced too,
 *     but only once a worker of its group has connected (a group none of whose workers ever connected is
 *     taken to be unable to start: a bad java command or JVM option), and for at most {@link
 *     #FAILED_STARTS_PER_WORKER} times the group's size failed starts in a row, with no worker of the group
 *     connecting between them (a full disk, a broken node).</li>
 * </ul>
 * Used on the manager's event loop only.
 */
final class WorkerReplacements {
    /** How many failed starts in a row, per worker of the group, are replaced. */
    static final int FAILED_STARTS_PER_WORKER = 3;

    private final int budget;
    private final int lostPerWorker;
    private final int maxLostAttempts;
    private final Map<WorkerGroup, Starts> groups = new IdentityHashMap<>();
    private int used;

    /** What is known of a group's starts and losses. */
    private static final class Starts {
        boolean everConnected;
        int failedInARow;
        int lostInARow;
        /** The first id of a worker started after the first of the losses in a row: only its answers, or later ones', end them. */
        int answersFrom;
    }

    /**
     * @param budget how many workers may be replaced over the manager's life ({@code replaceLostWorkers});
     *     {@link ManagerSettings#UNLIMITED_REPLACEMENTS} for no fixed budget
     * @param maxLostAttempts how many lost workers a task may outlive: a group may lose as many per worker
     *     in a row (at least {@link #FAILED_STARTS_PER_WORKER}) and still be replaced
     */
    WorkerReplacements(int budget, int maxLostAttempts) {
        this.budget = budget;
        this.lostPerWorker = Math.max(FAILED_STARTS_PER_WORKER, maxLostAttempts);
        this.maxLostAttempts = maxLostAttempts;
    }

    /** A worker of {@code group} connected: the group can start workers. */
    void connected(WorkerGroup group) {
        Starts s = starts(group);
        s.everConnected = true;
        s.failedInARow = 0;
    }

    /**
     * A previous run's workers came back to this (restarted) manager in place of {@code group}'s: its backend can
     * start workers, so a replacement of it that fails to start is replaced as once one of its own has connected.
     * Unlike {@link #connected}, the count of failed starts in a row goes on.
     */
    void cameBack(WorkerGroup group) {
        starts(group).everConnected = true;
    }

    /**
     * A worker of {@code group} answered a task. When it was started after the first of the losses in a row (worker
     * ids increase), the group's new workers can run tasks: the count starts again. An answer from an older worker
     * proves nothing of the new ones (a replacement that dies idle on a bad node while the old workers answer would
     * be replaced for the whole run).
     */
    void answered(WorkerGroup group, int workerId) {
        Starts s = starts(group);
        if (workerId >= s.answersFrom) {
            s.lostInARow = 0;
        }
    }

    /**
     * A worker of {@code group} was lost after it connected.
     *
     * @param loss how: a draining worker is not replaced (its replacement was started when it began draining, see
     *     {@link #replaceDraining}); only an {@linkplain WorkerLoss#UNASKED unasked-for} loss counts toward the
     *     losses in a row (a worker the manager stopped or whose lifetime ended is replaced, unless the guard has
     *     already stopped its group)
     * @param nextWorkerId the id the next worker started will have: when this loss is the first in a row, only
     *     answers of workers from that id on {@linkplain #answered end} the losses in a row
     * @return {@code null} when it is to be replaced (the budget is then used); otherwise why not, in a
     *     sentence, or an empty string when there is nothing to explain (no budget at all, or a draining worker)
     */
    String refuseLost(WorkerGroup group, WorkerLoss loss, int nextWorkerId) {
        if (budget == 0 || loss == WorkerLoss.DRAINING) {
            return "";
        }
        if (budget != ManagerSettings.UNLIMITED_REPLACEMENTS) { // a fixed budget bounds itself
            return take() ? null : spent();
        }
        Starts s = starts(group);
        if (loss == WorkerLoss.UNASKED) { // a worker the manager stopped, or whose lifetime ended, is no sign of a crash
            countLoss(s, nextWorkerId);
        }
        int limit = lostInARowLimit(group);
        if (s.lostInARow > limit) {
            return "It was not replaced: " + guardText(group) + ", more than the limit of " + limit + " ("
                    + lostPerWorker + " per worker of the group, at least maxLostAttempts + 1); a task's setup or the "
                    + "worker JVM itself may be crashing them: see the workers' output files.";
        }
        return take() ? null : spent();
    }

    /**
     * A worker of {@code group} began draining: is it replaced ahead of its end? Without a fixed budget, a drain that
     * counts against the group ({@code answered} false: the worker joined with almost no time before its drain and
     * answered nothing) counts toward its group's losses in a row (a drain margin as long as the workers' lifetime
     * drains each as it joins: replacing them would start a worker per cycle for the whole run), and no draining
     * worker of a group the guard stopped is replaced.
     *
     * @param answered whether the drain says nothing against the group (see {@link
     *     org.jparallel.core.dispatch.DispatcherListener#workerDraining})
     * @param nextWorkerId the id the next worker started will have (see {@link #refuseLost})
     * @return {@code null} when it is to be replaced ahead of its end (the budget is then used); otherwise why not, in
     *     a sentence (the guard's reason, or a spent budget), or an empty string when there is no budget at all
     */
    String refuseDraining(WorkerGroup group, boolean answered, int nextWorkerId) {
        if (budget == 0) {
            return "";
        }
        if (budget == ManagerSettings.UNLIMITED_REPLACEMENTS) {
            Starts s = starts(group);
            if (!answered) {
                countLoss(s, nextWorkerId);
            }
            int limit = lostInARowLimit(group);
            if (s.lostInARow > limit) {
                return "It was not replaced: " + guardText(group) + ", more than the limit of " + limit + " ("
                        + lostPerWorker + " per worker of the group, at least maxLostAttempts + 1), counting each "
                        + "worker that began draining as it joined, before answering any task (a worker lifetime "
                        + "hardly longer than the drain margin does that); a task's setup or the worker JVM itself may "
                        + "also be crashing them: see the workers' output files.";
            }
        }
        return take() ? null : spent();
    }

    /**
     * @return the guard's reason, for the log and the worker's detail: {@code group}'s workers were lost so many times
     *     in a row without an answer to any task from a worker started since the first of them
     */
    String guardText(WorkerGroup group) {
        return "workers of its group (" + group.backendName() + ", " + group.size() + " worker(s)) were lost "
                + starts(group).lostInARow + " times in a row without an answer to any task from a worker started "
                + "since the first of them";
    }

    /** @return {@code k} per worker of {@code group} (of at least one) */
    private static int perWorker(int k, WorkerGroup group) {
        return k * Math.max(1, group.size());
    }

    private static void countLoss(Starts s, int nextWorkerId) {
        if (s.lostInARow++ == 0) {
            s.answersFrom = nextWorkerId;
        }
    }

    /**
     * A worker of {@code group} failed to start.
     *
     * @return {@code null} when it is to be replaced (the budget is then used); otherwise why not, in a
     *     sentence for the worker's detail, or an empty string when there is no budget at all (nothing is
     *     ever replaced then, and there is nothing to explain)
     */
    String refuseFailedStart(WorkerGroup group) {
        if (budget == 0) {
            return "";
        }
        Starts s = starts(group);
        s.failedInARow++;
        if (!s.everConnected) {
            return "It was not replaced: no worker of its group has connected yet, so the group is taken to be "
                    + "unable to start workers (a failed start is replaced only once its group has started one).";
        }
        int limit = perWorker(FAILED_STARTS_PER_WORKER, group);
        if (s.failedInARow > limit) {
            return "It was not replaced: " + s.failedInARow + " workers of its group failed to start in a row, with none "
                    + "connecting between them, more than the limit of " + limit + " (" + FAILED_STARTS_PER_WORKER
                    + " per worker of the group).";
        }
        return take() ? null : spent();
    }

    /** @return how many losses in a row, with no answer between them, {@code group} may have replaced */
    int lostInARowLimit(WorkerGroup group) {
        // at least maxLostAttempts + 1: a task's first loss is not charged to it when its worker held others
        // (prefetched) too, so a task that kills every worker may take one more in a row than it is charged
        return Math.max(perWorker(lostPerWorker, group), maxLostAttempts + 1);
    }

    /**
     * @return how many times in a row {@code group}'s workers were lost with no answer between (counted only
     *     without a fixed budget)
     */
    int lostInARow(WorkerGroup group) {
        return starts(group).lostInARow;
    }

    /** @return whether the guard stops replacing {@code group}'s lost workers (until a new worker of it answers) */
    boolean stopped(WorkerGroup group) {
        Starts s = groups.get(group);
        return budget == ManagerSettings.UNLIMITED_REPLACEMENTS && s != null && s.lostInARow > lostInARowLimit(group);
    }

    /** @return how many replacements were started so far */
    int used() {
        return used;
    }

    /** @return the replacements started so far, and the budget when there is one, for the log */
    String usedText() {
        return budget == ManagerSettings.UNLIMITED_REPLACEMENTS ? used + " replacement(s)"
                : used + " of " + budget + " replacements";
    }

    private String spent() {
        return "It was not replaced: the replaceLostWorkers budget of " + budget + " is spent.";
    }

    private boolean take() {
        if (budget != ManagerSettings.UNLIMITED_REPLACEMENTS && used >= budget) {
            return false;
        }
        used++;
        return true;
    }

    private Starts starts(WorkerGroup group) {
        return groups.computeIfAbsent(group, g -> new Starts());
    }
}
