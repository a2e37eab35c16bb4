package org.jparallel.tests.model;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;

/**
 * How {@link ApiModel} reads one iterator of a context's results (getResults, getResultsUnordered, map or
 * mapUnordered): to its end or to a limit, each value or failure found back to the task it belongs to (by the
 * task's unique value, or by the task id a failure names), judged against the promises ({@link ApiJudge}), and
 * with a journal recorded as delivered ({@link ApiJournal}). Why apart from the model: the model runs the
 * program's actions and keeps what was added; telling what an iterator delivered, and whether it may deliver it,
 * is a job of its own, and the longest piece of the model's code.
 */
final class ApiReader {
    private final ApiJudge judge;
    /** The keys over the program's runs; {@code null} unless journaled. */
    private final ApiJournal journal;
    /** Whether the program closed its manager, as the model says now. */
    private final BooleanSupplier managerClosed;
    /** Judges a {@link NoMoreWorkersException} an iterator threw (what the iterator is): see {@link ApiWorkers}. */
    private final BiConsumer<NoMoreWorkersException, String> noWorkers;
    /** The tasks of the program's current run, by their unique value. */
    private final Map<Integer, ApiTask> byValue = new HashMap<>();
    /** The tasks addTask added in the current run, by their task id. */
    private final Map<Long, ApiTask> byTaskId = new HashMap<>();

    ApiReader(ApiJudge judge, ApiJournal journal, BooleanSupplier managerClosed,
            BiConsumer<NoMoreWorkersException, String> noWorkers) {
        this.judge = judge;
        this.journal = journal;
        this.managerClosed = managerClosed;
        this.noWorkers = noWorkers;
    }

    /** A task was made (by addTask, or drawn by map): a result carrying its value is its. */
    void made(ApiTask t) {
        byValue.put(t.value, t);
    }

    /** A task made by addTask was accepted: a failure naming its task id is its. */
    void added(ApiTask t) {
        byTaskId.put(t.future.taskId(), t);
    }

    /** The program runs again on its journal: the tasks of the run before are no longer this run's. */
    void forget() {
        byValue.clear();
        byTaskId.clear();
    }

    /** Reads {@code it}, results of {@code ctx}, to its end or only {@code limit} of them (0: all), judging each. */
    void read(Ctx ctx, Iterator<Object> it, boolean ordered, int limit, String what) {
        read(ctx, it, ordered, limit, what, false);
    }

    /**
     * Reads as {@link #read(Ctx, Iterator, boolean, int, String)}; {@code interrupted}: on a thread whose interrupt
     * flag is set, so the reading ends where it would wait ({@code hasNext()} is then true, and {@code next()}
     * throws an {@link IllegalStateException} caused by an {@link InterruptedException}, "interrupted while
     * waiting"), and the flag must still be set after every call (the journal's marks are stored on this thread).
     */
    void read(Ctx ctx, Iterator<Object> it, boolean ordered, int limit, String what, boolean interrupted) {
        int lastSequence = -1;
        for (int n = 0; limit == 0 || n < limit; n++) {
            boolean more = it.hasNext();
            if (interrupted) {
                flagKept(what);
            }
            if (!more) {
                judge.afterLast(it, what);
                if (!ctx.closed && !managerClosed.getAsBoolean()) {
                    judge.everyTaskDelivered(ctx, what);
                }
                return;
            }
            ApiTask t;
            try {
                Object r = it.next();
                Integer v = ApiTask.valueOf(r);
                t = v == null ? null : byValue.get(v);
                if (t == null || t.context != ctx) {
                    judge.violation(what + " of context " + ctx.id + " delivered " + ApiTask.describe(r)
                            + ", not a task of it: " + t);
                    return;
                }
                if (t.guessed != null) {
                    ApiTask m = judge.reattribute(ctx, t);
                    if (m != null && journal != null) {
                        journal.moveFailure(t, m);
                    }
                }
                judge.outcome(t, r, null, what);
            } catch (TaskFailedException f) {
                t = judge.failedTask(ctx, f, byTaskId.get(f.getTaskId()));
                if (t == null) {
                    return;
                }
                judge.outcome(t, null, f, what);
            } catch (NoMoreWorkersException e) { // the waiting tasks stay outstanding: the reader stops here
                if (interrupted) {
                    flagKept(what);
                }
                noWorkers.accept(e, what + " of context " + ctx.id);
                return;
            } catch (NoSuchElementException e) {
                judge.violation(what + ": hasNext() was true, then next() threw " + e);
                return;
            } catch (IllegalStateException e) {
                if (interrupted && e.getCause() instanceof InterruptedException) {
                    flagKept(what);
                    return; // it would wait: a program's interrupted reader stops here
                }
                if (!ctx.closed && !managerClosed.getAsBoolean()) {
                    judge.violation(what + ": next() threw " + e + " though context and manager are open");
                }
                return;
            } catch (RuntimeException e) {
                judge.violation(what + ": next() threw " + e);
                return;
            }
            if (interrupted) {
                flagKept(what);
                ApiReach.interruptedRead();
            }
            lastSequence = judge.delivered(t, ctx, what, ordered, lastSequence);
            if (journal != null) {
                journal.delivered(t, t.seen.startsWith("failed"));
            }
        }
    }

    private void flagKept(String what) {
        if (!Thread.currentThread().isInterrupted()) {
            judge.violation(what + " on an interrupted thread cleared its interrupt flag");
        }
    }
}
