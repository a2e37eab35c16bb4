package org.jparallel.tests.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;

/**
 * The promises {@link ApiModel} checks, judged on what the program saw: each outcome of a task (a value, a
 * failure with its attempts, a cancellation with its reason) against what the task does and what the program did
 * to it; each task delivered once, in order where ordered; iterators keeping {@link Iterator}'s contract; a lost
 * worker charged only to a task it could have been running. Collects the broken promises; {@link #check} throws
 * with all of them.
 */
final class ApiJudge {
    private final int maxLost;
    /** Whether every task is added with its key (a journaled sequence): its failure must name it. */
    private final boolean keyed;
    private final List<String> violations = new ArrayList<>();
    /** Pids of workers the test killed or stopped: a task may be charged a lost worker there. */
    private final Set<Long> faulted = new HashSet<>();
    /** Task ids charged WORKER_LOST per worker pid, from every failure seen. */
    private final Map<Long, Set<Long>> chargedAt = new HashMap<>();

    ApiJudge(int maxLost, boolean keyed) {
        this.maxLost = maxLost;
        this.keyed = keyed;
    }

    void violation(String what) {
        violations.add(what);
    }

    /** The test killed or stopped the worker of this pid. */
    void faulted(long pid) {
        faulted.add(pid);
    }

    /**
     * Judges one outcome of a task (its result, or {@code f} when it failed), seen through {@code where}: a result
     * must be its value, or for a bytes kind the very bytes it returns ({@link ApiTask#bytes}).
     */
    void outcome(ApiTask t, Object result, TaskFailedException f, String where) {
        String seen;
        if (f == null) {
            Integer value = ApiTask.valueOf(result);
            seen = "value " + value;
            if (t.cancelled || t.abandoned) {
                violations.add(t + " was " + (t.cancelled ? "cancelled" : "delivered by an earlier run") + ", yet "
                        + where + " gave its value");
            } else if (!t.kind.returns() || value == null || value != t.value
                    || t.kind.bytes() != (result instanceof byte[])) {
                violations.add(t + ": " + where + " gave " + ApiTask.describe(result));
            } else if (t.kind.bytes()) {
                String damage = ApiTask.damage((byte[]) result, t.kind, t.value, ApiTask.RESULT);
                if (damage != null) {
                    violations.add(t + ": " + where + " gave a damaged result: " + damage);
                } else {
                    ApiReach.resultChecked(t.kind, ((byte[]) result).length);
                }
            }
        } else {
            java.util.Optional<String> key = keyed ? java.util.Optional.of(t.key()) : java.util.Optional.empty();
            if (!f.getKey().equals(key)) {
                violations.add(t + ": " + where + " gave a failure whose key is " + f.getKey() + ", not " + key + ": "
                        + f.getMessage().replace("\n", "\n    "));
            }
            List<TaskAttempt> attempts = f.getAttempts();
            TaskAttempt.Outcome last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).outcome();
            seen = "failed " + last;
            for (TaskAttempt a : attempts) {
                if (a.outcome() == TaskAttempt.Outcome.WORKER_LOST) {
                    long pid = ApiTask.pidOf(a.worker());
                    chargedAt.computeIfAbsent(pid, p -> new HashSet<>()).add(f.getTaskId());
                    if (!t.kind.kills() && !faulted.contains(pid)) {
                        violations.add(t + " was charged WORKER_LOST for " + a.worker() + ", which the test never"
                                + " killed: it cannot have been running when a halting task took that worker down\n    "
                                + f.getMessage().replace("\n", "\n    "));
                    }
                }
            }
            boolean lostOut = last == TaskAttempt.Outcome.WORKER_LOST && attempts.size() >= maxLost;
            boolean fits = switch (t.kind) {
                case THROWS -> last == TaskAttempt.Outcome.THREW || lostOut;
                case OVER_LIMIT -> last == TaskAttempt.Outcome.TIMED_OUT || lostOut;
                default -> lostOut;
            };
            if (t.abandoned) {
                violations.add(t + " was delivered by an earlier run, yet " + where + " says it failed: it ran again");
            } else if (!fits) {
                violations.add(t + " failed as it should not: " + where + " says\n    "
                        + f.getMessage().replace("\n", "\n    "));
            }
        }
        if (t.seen != null && !t.seen.equals(seen)) {
            violations.add(t + ": " + where + " says " + seen + ", but earlier it was " + t.seen);
        }
        t.seen = seen;
    }

    /**
     * Waits up to {@code seconds} for the task's future and judges what it says.
     *
     * @return whether it gave a value
     */
    boolean future(ApiTask t, long seconds, boolean managerClosed) {
        try {
            outcome(t, t.future.get(seconds, TimeUnit.SECONDS), null, "its future");
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TaskFailedException f) {
                outcome(t, null, f, "its future");
            } else {
                violations.add(t + ": its future threw " + e);
            }
        } catch (CancellationException e) {
            cancelled(t, e, managerClosed);
        } catch (TimeoutException e) {
            violations.add(t + ": its future did not complete in " + seconds + " s (hung)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Judges a task's future that threw a cancellation: only the program's cancel or close may have caused it. */
    void cancelled(ApiTask t, CancellationException e, boolean managerClosed) {
        String m = String.valueOf(e.getMessage());
        boolean fair = t.cancelled && m.contains("it was cancelled")
                || t.abandoned && m.contains("delivered by an earlier run")
                || t.context.closed && m.contains("its context was closed")
                || managerClosed && m.contains("the manager");
        if (!fair) {
            violations.add("dropped: " + t + " was cancelled though the program did not cancel it or close its "
                    + (m.contains("context") ? "context" : "manager") + ": " + m);
        }
    }

    /**
     * An iterator delivered {@code t}: counts it (once across iterators and futures) and, for an ordered one,
     * checks it came after the previous one in the order of {@code ctx}.
     *
     * @return the task's place in its context's order, for the next call's {@code lastSequence}
     */
    int delivered(ApiTask t, Ctx ctx, String what, boolean ordered, int lastSequence) {
        if (++t.delivered > 1) {
            violations.add(t + " was delivered " + t.delivered + " times (now by " + what + ")");
        }
        int sequence = ctx.tasks.indexOf(t);
        if (ordered && sequence < lastSequence) {
            violations.add(what + " (ordered) delivered " + t + " after a later task");
        }
        return sequence;
    }

    /** The iterator's {@code hasNext()} was false: its {@code next()} must throw {@link NoSuchElementException}. */
    void afterLast(Iterator<Object> it, String what) {
        try {
            Object v = it.next();
            violations.add(what + ": hasNext() was false, then next() returned " + ApiTask.describe(v));
        } catch (NoSuchElementException expected) {
            // the contract
        } catch (RuntimeException e) {
            violations.add(what + ": hasNext() was false, then next() threw " + e + ", not NoSuchElementException");
        }
    }

    /** The iteration ended with the context open: every task not cancelled by the program came out of it. */
    void everyTaskDelivered(Ctx ctx, String what) {
        for (ApiTask t : ctx.tasks) {
            if (!t.cancelled && !t.abandoned && t.delivered == 0) {
                violations.add("dropped: " + t + " was never delivered, though " + what + " ended; its future: "
                        + peek(t));
            }
        }
    }

    /** @return what a task's future holds now, for failure messages */
    static String peek(ApiTask t) {
        if (t.future == null) {
            return "none (added by map)";
        }
        try {
            return "value " + t.future.get(1, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (CancellationException e) {
            return "cancelled: " + e.getMessage();
        } catch (TimeoutException e) {
            return "not done";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * @param byId the task of the failure's id, or {@code null} (a task added by map has no id the test knows)
     * @return the task a failure from an iterator is about: by its id, for a map's task by its key when keyed, else
     *     by its kind (a guess, for a lost worker's failure)
     */
    ApiTask failedTask(Ctx ctx, TaskFailedException f, ApiTask byId) {
        if (byId != null) {
            return byId;
        }
        if (keyed) {
            for (ApiTask m : ctx.tasks) {
                if (m.future == null && f.getKey().filter(m.key()::equals).isPresent()) {
                    return m;
                }
            }
            violations.add("a failure of a task added by map names a key none of its tasks has: " + f.getMessage());
            return null;
        }
        TaskAttempt last = f.getAttempts().get(f.getAttempts().size() - 1);
        for (ApiTask m : ctx.tasks) {
            boolean threw = last.outcome() == TaskAttempt.Outcome.THREW;
            boolean matches = threw ? last.detail().contains("task of value " + m.value + " threw") : fitsLost(m, last);
            if (m.future == null && m.delivered == 0 && matches) {
                m.guessed = threw ? null : f;
                return m;
            }
        }
        violations.add("a failure of a task added by map fits none of its tasks (an innocent task charged?): "
                + f.getMessage());
        return null;
    }

    private boolean fitsLost(ApiTask m, TaskAttempt last) {
        return m.kind.kills() || faulted.contains(ApiTask.pidOf(last.worker()));
    }

    /**
     * A task added by map whose failure was guessed (a lost worker's failure does not say which of the map's tasks
     * it is) gave its value after all: the failure was another task's of the map. Moves it to another undelivered
     * task of the map that it fits, and judges it there.
     *
     * @return the task that takes the failure, or {@code null} when none fits (the value then counts as a second
     *     delivery)
     */
    ApiTask reattribute(Ctx ctx, ApiTask t) {
        TaskFailedException f = t.guessed;
        TaskAttempt last = f.getAttempts().get(f.getAttempts().size() - 1);
        for (ApiTask m : ctx.tasks) {
            if (m != t && m.future == null && m.delivered == 0 && fitsLost(m, last)) {
                m.delivered = t.delivered;
                t.delivered = 0;
                t.seen = null;
                t.guessed = null;
                m.guessed = f;
                outcome(m, null, f, "a failure first taken for " + t + "'s");
                return m;
            }
        }
        return null;
    }

    /**
     * Throws with every broken promise seen so far, then {@code summary}; checks each killed worker was charged for
     * one task at most.
     */
    void check(String summary) {
        chargedAt.forEach((pid, ids) -> {
            if (faulted.contains(pid) && ids.size() > 1) {
                violations.add("one loss of worker pid " + pid + " was charged to " + ids.size() + " tasks " + ids
                        + ": only the one it ran may be");
            }
        });
        if (!violations.isEmpty()) {
            String all = String.join("\n  ", violations);
            violations.clear();
            throw new AssertionError("jparallel broke its promise:\n  " + all + "\n  " + summary);
        }
    }
}
