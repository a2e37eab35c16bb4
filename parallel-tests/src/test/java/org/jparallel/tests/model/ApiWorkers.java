package org.jparallel.tests.model;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;

/**
 * The lost-worker replacements of {@link ApiModel}: the setting a sequence drew ({@link #DEFAULT}, what a program gets
 * without calling {@code replaceLostWorkers}: no fixed budget and the guard against a loop; 0, never replaced; or a
 * small fixed budget, its own bound), and what the program may see of the manager's workers under it, judged from the
 * public API only ({@code manager.workers()}, {@link NoMoreWorkersException}) after every step and at every read. Why
 * apart from the model: when no worker can be left is a rule of its own (the guard's limit), and the model must then
 * neither wait for ever on a future whose task no worker can run, nor take the end of its workers for a broken promise.
 *
 * <p>The guard (the manager's {@code WorkerReplacements}): with the default, a group whose workers were lost more than
 * {@link #limit} times in a row, with no answer from a worker started since the first of them, is not replaced any
 * more. When exactly it trips depends on timing (which worker answered when), so it is judged by bounds: it cannot
 * have tripped before more than {@link #limit} of the run's workers were lost (every loss in a row is a worker the
 * run lost), and only it, or too many failed starts in a row, can leave the default's group without a worker. The
 * sequence's burst of poison tasks, with no answer between its losses, must trip it ({@link #burstEnded}).
 */
final class ApiWorkers {
    /** The default: {@code replaceLostWorkers} not called. */
    static final int DEFAULT = ManagerBuilder.UNLIMITED;
    /** The words every worker the guard left unreplaced has in its detail, and so the NoMoreWorkersException. */
    static final String GUARD = "may be crashing them";
    /** The words of a failed start refused for too many in a row. */
    static final String FAILED_IN_A_ROW = "failed to start in a row";
    /** The words of a failed start refused because no worker of its group ever connected (a slow or bad start). */
    static final String NEVER_CONNECTED = "no worker of its group has connected yet";
    /** The words of a lost worker refused for a spent fixed budget. */
    static final String SPENT = "replaceLostWorkers budget of";

    /** {@link #DEFAULT}, or the fixed budget given to {@code replaceLostWorkers}. */
    final int replace;
    private final int maxLost;
    /** The group's workers: the one group the model adds. */
    private final int size;
    private final ApiJudge judge;
    /** The current run found with no worker left, and the model judged it could be: waiting tasks stay outstanding. */
    private boolean noneLeft;
    /** A violation about the workers was reported in this run (once is enough: they would repeat at every step). */
    private boolean reported;
    /** This run's workers were seen stopped by the guard (counted once a run, for {@link ApiReach}). */
    private boolean guardSeen;
    /** The sequence added its poison burst ({@link #burst}): once is enough, each costs a JVM start per loss. */
    private boolean burst;
    /** Each worker's {@code tasksCompleted} (its answers) by id when the burst began. */
    private java.util.Map<Integer, Long> answeredBefore = java.util.Map.of();

    ApiWorkers(int replace, int maxLost, int size, ApiJudge judge) {
        this.replace = replace;
        this.maxLost = maxLost;
        this.size = size;
        this.judge = judge;
        ApiReach.replacements(replace);
    }

    /** @return the builder with the setting: the default is not set at all, as a program that never heard of it */
    ManagerBuilder apply(ManagerBuilder b) {
        return replace == DEFAULT ? b : b.replaceLostWorkers(replace);
    }

    /**
     * @return the guard's limit: {@code max(3, maxLostAttempts)} losses per worker of the group, at least {@code
     *     maxLostAttempts + 1} (a poison task's first loss beside prefetched tasks is not charged to it)
     */
    int limit() {
        return Math.max(Math.max(3, maxLost) * size, maxLost + 1);
    }

    /**
     * @return how many poison tasks a burst adds back to back: enough for more than {@link #limit} losses in a row
     *     (each fails after {@code maxLostAttempts} losses) when no answer of a new worker comes between them
     */
    int burst() {
        return limit() / maxLost + 1;
    }

    /**
     * @return whether the sequence may add a poison burst now: with the default only (the guard is its point), with
     *     2 workers (a burst for more costs a dozen JVM starts), once a sequence
     */
    boolean mayBurst(ApiModel s) {
        return replace == DEFAULT && size == 2 && !burst && !s.managerClosed && !s.contexts.isEmpty();
    }

    /** The sequence adds its poison burst now: what the workers have answered so far is taken, for {@link #burstEnded}. */
    private void bursting(Manager m) {
        burst = true;
        ApiReach.burst();
        answeredBefore = workers(m).stream().collect(java.util.stream.Collectors.toMap(WorkerInfo::id,
                WorkerInfo::tasksCompleted));
    }

    /**
     * The sequence's burst: adds poison tasks back to back (as many as {@link #burst} says), waits until each failed or
     * no worker is left, and judges whether the guard was reached ({@link #burstEnded}).
     *
     * @return whether the guard stopped the group; false too when none was added (the context or manager closed)
     */
    boolean burst(ApiModel m, Ctx ctx, List<ApiTask.Kind> kinds) {
        bursting(m.manager());
        int before = m.tasks.size();
        m.addTasks(ctx, kinds);
        List<ApiTask> added = List.copyOf(m.tasks.subList(before, m.tasks.size()));
        if (added.size() < kinds.size()) {
            return false;
        }
        m.blocking("awaiting the end of a burst of " + kinds.size() + " poison tasks", () -> {
            for (ApiTask t : added) {
                if (!awaitDone(t.future, m::manager, m.managerClosed)) {
                    return; // no worker is left for the rest
                }
            }
        });
        long failed = added.stream().filter(t -> t.future.isDone() && !t.future.isCancelled()).count();
        return burstEnded(m.manager(), (int) failed, added.size());
    }

    /**
     * The burst's tasks have all ended, or no worker is left: judges whether the guard was reached, which is what the
     * burst is for. Each of its {@link #burst} tasks fails only after {@code maxLostAttempts} losses charged to it,
     * each a worker lost of its own, so that when all failed, more than {@link #limit} workers were lost in the
     * burst. The guard then must have stopped the group, unless its count of losses in a row was ended by an answer
     * (the manager's count ends only on an answer from a worker started since the first loss: any answer during the
     * burst excuses, the judgement errs on the side of no false alarm). Too many failed starts in a row also end a
     * group, before the guard.
     *
     * @param failed how many of the burst's tasks failed (every one, unless no worker was left for the rest)
     * @param tasks how many tasks the burst added
     * @return whether the guard stopped the group
     */
    private boolean burstEnded(Manager m, int failed, int tasks) {
        List<WorkerInfo> now = workers(m); // a query: after the loop's decision at the last loss
        Count c = Count.of(now);
        boolean answered = now.stream().anyMatch(w -> w.tasksCompleted() > answeredBefore.getOrDefault(w.id(), 0L));
        if (c.guard) {
            ApiReach.burstReachedGuard();
        } else if (failed == tasks && !answered && !c.failedInARow) {
            report("a burst of " + tasks + " poison tasks all failed, each after " + maxLost + " lost worker(s), with"
                    + " no answer from any worker between them: more than the guard's limit of " + limit() + " losses"
                    + " in a row, yet the guard did not stop the group", c);
        }
        return c.guard;
    }

    /** The program runs again on its journal: a new manager, new workers. */
    void newRun() {
        noneLeft = false;
        reported = false;
        guardSeen = false;
    }

    /** @return whether the current run's manager was found with no worker left to run its waiting tasks */
    boolean noneLeft() {
        return noneLeft;
    }

    /**
     * @return the values of the tasks whose futures are pending because no worker is left (as the setting allowed):
     *     their keys are not lost by the journal, only waiting; none while workers are left
     */
    java.util.Set<Integer> outstanding(List<ApiTask> tasks) {
        return !noneLeft ? java.util.Set.of() : tasks.stream().filter(t -> t.future != null && !t.future.isDone())
                .map(t -> t.value).collect(java.util.stream.Collectors.toSet());
    }

    /** What one look at the manager's workers found. */
    private record Count(int total, int alive, int lost, int failed, boolean guard, boolean failedInARow,
            boolean spent, String text) {
        static Count of(List<WorkerInfo> workers) {
            int alive = 0;
            int lost = 0;
            int failed = 0;
            boolean guard = false;
            boolean failedInARow = false;
            boolean spent = false;
            StringBuilder b = new StringBuilder();
            for (WorkerInfo w : workers) {
                switch (w.state()) {
                    case STARTING, CONNECTED -> alive++;
                    case LOST -> lost++;
                    case FAILED -> failed++;
                    default -> { }
                }
                String d = w.detail() == null ? "" : w.detail();
                guard |= d.contains(GUARD);
                failedInARow |= d.contains(FAILED_IN_A_ROW) || d.contains(NEVER_CONNECTED);
                spent |= d.contains(SPENT);
                b.append("\n      worker ").append(w.id()).append(' ').append(w.state())
                        .append(d.isEmpty() ? "" : ": " + d.replace("\n", " / "));
            }
            return new Count(workers.size(), alive, lost, failed, guard, failedInARow, spent, b.toString());
        }
    }

    /**
     * After every step, with the manager open: the workers started stay within a fixed budget; a worker is left
     * unreplaced only for a reason the setting has (the guard only without a fixed budget, and only past its limit;
     * a spent budget only once it is spent); and a manager with no worker left is one the model says may be.
     */
    void check(Manager m) {
        Count c = Count.of(workers(m));
        if (c.alive < size) {
            c = Count.of(workers(m)); // a replacement asked for at a loss is on the loop's next turn
        }
        String broken = unexplained(c);
        if (broken == null && c.alive < size && mustReplace(c)) {
            broken = (size - c.alive) + " worker(s) of " + size + " gone and not replaced, though no limit of the"
                    + " setting is reached: a poison task must fail alone, its workers replaced";
        }
        if (broken == null && c.alive == 0 && !noneLeft) {
            broken = noWorkerLeft(c);
        }
        report(broken, c);
        if (c.alive == 0) {
            noneLeft = true;
        }
        if (c.guard && !guardSeen) {
            guardSeen = true;
            ApiReach.guardStopped();
        }
    }

    /** An iterator threw {@link NoMoreWorkersException}: right only when no worker is left, as the model allows. */
    void noMoreWorkers(NoMoreWorkersException e, Manager m, String what) {
        Count c = Count.of(workers(m));
        String broken = c.alive > 0 ? what + " threw NoMoreWorkersException while " + c.alive + " worker(s) of the"
                + " manager are starting or connected" : noWorkerLeft(c);
        if (broken == null && replace == DEFAULT && !c.failedInARow && !e.getMessage().contains(GUARD)) {
            broken = what + " threw NoMoreWorkersException after the guard stopped the replacements, but it does not"
                    + " say why (\"" + GUARD + "\")";
        }
        if (broken == null && replace != DEFAULT && e.getMessage().contains(GUARD)) {
            broken = what + " threw NoMoreWorkersException naming the guard, though replaceLostWorkers(" + replace
                    + ") is a fixed budget, its own bound";
        }
        report(broken == null ? null : broken + "\n    its message: " + e.getMessage().replace("\n", "\n    "), c);
        noneLeft = true;
        ApiReach.noMoreWorkers();
    }

    /**
     * Waits for a future (the action's deadline bounds the wait), unless no worker is left to run its task.
     *
     * @return true when it is done, or the wait was cut short (then judged as it is); false when its task stays
     *     outstanding because no worker is left
     */
    boolean awaitDone(Future<?> f, Supplier<Manager> m, boolean managerClosed) {
        while (!f.isDone() && !managerClosed) {
            if (noneLeft) {
                return false;
            }
            try {
                f.get(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            } catch (Exception e) {
                // done (failed, cancelled) or not yet: the loop looks again
            }
            if (!f.isDone()) {
                check(m.get()); // are the workers all gone? (then it is judged there whether they may be)
            }
        }
        return true;
    }

    /**
     * @return the manager's workers, asked on a thread whose interrupt flag is cleared for the query and then set again
     *     when it was (a read on an interrupted thread, {@link ApiInterrupts}, meets no worker left too)
     */
    private static List<WorkerInfo> workers(Manager m) {
        boolean interrupted = Thread.interrupted();
        try {
            return m.workers();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return what breaks the setting's rules among the workers, or {@code null} */
    private String unexplained(Count c) {
        if (replace != DEFAULT && c.total > size + replace) {
            return c.total + " workers were started, more than the " + size + " added and the replaceLostWorkers("
                    + replace + ") budget";
        }
        if (c.guard && replace != DEFAULT) {
            return "a worker was left unreplaced by the losses-in-a-row guard, though replaceLostWorkers(" + replace
                    + ") is a fixed budget, its own bound";
        }
        if (c.guard && c.lost <= limit()) {
            return "the guard stopped replacing workers after " + c.lost + " lost in all, though it may only past "
                    + limit() + " in a row (max(3, maxLostAttempts " + maxLost + ") x " + size + " workers)";
        }
        if (c.spent && (replace == DEFAULT || replace == 0 || c.total < size + replace)) {
            return "a worker was left unreplaced for a spent budget, though " + (replace == DEFAULT ? "there is no"
                    + " fixed budget" : (c.total - size) + " of replaceLostWorkers(" + replace + ") were used");
        }
        if (c.failedInARow && c.failed <= 3 * size) {
            return "a failed start was left unreplaced for too many in a row after " + c.failed + " failed starts in"
                    + " all, though the limit is " + 3 * size;
        }
        return null;
    }

    /**
     * @return whether every worker gone must have been replaced by now (the replacement is started at the loss, on
     *     the manager's loop, before a later query): with the default until the guard stops the group, with a fixed
     *     budget until it is spent, never with 0; a failed start only up to its own limit in a row
     */
    private boolean mustReplace(Count c) {
        return !c.failedInARow && switch (replace) {
            case 0 -> false;
            case DEFAULT -> !c.guard;
            default -> c.total < size + replace;
        };
    }

    /** @return why no worker may not be left now, or {@code null} when the setting allows it */
    private String noWorkerLeft(Count c) {
        boolean allowed = c.failedInARow || switch (replace) {
            case 0 -> c.total == size;
            case DEFAULT -> c.lost > limit() && c.guard;
            default -> c.total == size + replace;
        };
        if (allowed) {
            return null;
        }
        return "no worker is left, though " + (replace == DEFAULT ? "lost workers are replaced by default and the guard"
                + " may stop only after more than " + limit() + " losses in a row (max(3, maxLostAttempts " + maxLost
                + ") x " + size + " workers), " + c.lost + " were lost in all"
                + (c.guard ? "" : ", and no worker says the guard stopped its group")
                : (c.total - size) + " of replaceLostWorkers(" + replace + ") were used");
    }

    private void report(String broken, Count c) {
        if (broken != null && !reported) {
            reported = true;
            judge.violation(broken + " (" + this + "); the workers:" + c.text);
        }
    }

    @Override
    public String toString() {
        return replace == DEFAULT ? "lost workers replaced by default (guard limit " + limit() + " in a row)"
                : "replaceLostWorkers(" + replace + ")";
    }
}
