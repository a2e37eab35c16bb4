package org.jparallel.tests.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jparallel.Task;

/**
 * The journal's side of {@link ApiModel}: every key of a journaled sequence over the runs of its program (a run
 * ends when the manager is closed, and the next one resumes the journal), what the program saw of each, and the
 * executions of each key counted through a side channel (each execution of a keyed task creates a file named
 * after its key in {@link #executions}). It judges the journal's promises: no key delivered twice over the runs
 * (the program passing the keys of its output, read back, to {@code markDelivered}, or the journal's own delivery
 * marks), none lost, no task run again once its result was journaled, a re-added key's future saying what the
 * journal holds for it.
 */
final class ApiJournal {
    /** A key over the runs: its task (the same kind and value in every run), and what the program saw of it. */
    static final class Key {
        final int value;
        final ApiTask.Kind kind;
        final int context;
        /** Iterator deliveries of its value, over the runs: one at most. */
        int values;
        /** Iterator deliveries of a failure, over the runs (a failure runs again unless marked delivered). */
        int failures;
        /** Passed to {@code markDelivered} in some run: never run nor delivered after that. */
        boolean marked;
        /** The program saw its value (through its future or an iterator): the result is in the journal. */
        boolean journaled;
        /** Executions counted when its value was first seen; -1 before: never more after. */
        int executionsWhenJournaled = -1;
        /** The run that last added it. */
        int addedIn;

        Key(int value, ApiTask.Kind kind, int context) {
            this.value = value;
            this.kind = kind;
            this.context = context;
        }

        /** @return whether the journal treats it as delivered: a task added with it yields nothing */
        boolean delivered() {
            return values > 0 || marked;
        }

        @Override
        public String toString() {
            return "key " + value + " (" + kind + " in context " + context + "; over the runs: " + values
                    + " value(s) and " + failures + " failure(s) delivered" + (marked ? ", marked delivered" : "")
                    + (journaled ? ", its result journaled" : "") + ")";
        }
    }

    final Path executions;
    private final ApiJudge judge;
    private final Map<Integer, Key> keys = new TreeMap<>();
    /** Whether the program writes the keys of failures to its output too, and so marks them delivered. */
    final boolean outputHasFailures;
    /** The program's run: 1, then one more per restart on the journal. */
    int run = 1;

    ApiJournal(Path dir, ApiJudge judge, boolean outputHasFailures) {
        this.executions = dir.resolve("executions");
        this.judge = judge;
        this.outputHasFailures = outputHasFailures;
        try {
            Files.createDirectories(executions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the task's body, which first records its execution in {@link #executions} */
    Task<Object, Object> counted(ApiTask t) {
        Task<Object, Object> body = t.body();
        String dir = executions.toString();
        int v = t.value;
        return s -> {
            Files.createFile(Path.of(dir, v + "." + ProcessHandle.current().pid() + "." + System.nanoTime()));
            return body.run(s);
        };
    }

    /** @return the key of a task, made when the task is first added */
    Key key(ApiTask t) {
        return keys.computeIfAbsent(t.value, v -> new Key(v, t.kind, t.context.id));
    }

    /** @return the keys of a context over the runs not added in this run, in the order first added */
    List<Key> notAddedThisRun(int context) {
        return keys.values().stream().filter(k -> k.context == context && k.addedIn < run).toList();
    }

    /** @return the keys whose results the program's output holds, for {@code markDelivered}: they are marked */
    List<String> output(int context) {
        List<String> out = new ArrayList<>();
        for (Key k : keys.values()) {
            if (k.context == context && (k.values > 0 || outputHasFailures && k.failures > 0)) {
                k.marked = true;
                out.add(ApiTask.key(k.value, k.kind));
            }
        }
        return out;
    }

    /** Judges a task's future right after addTask: done at once (cancelled) exactly when its key was delivered. */
    void added(ApiTask t) {
        Key k = key(t);
        boolean again = k.addedIn > 0;
        t.again = again;
        k.addedIn = run;
        if (!again) {
            return;
        }
        if (k.delivered() && t.future.isCancelled()) {
            t.abandoned = true;
        } else if (k.delivered()) {
            judge.violation(t + " added again in run " + run + ": " + k + ", so it must yield nothing, yet its future "
                    + (t.future.isDone() ? "completed: " + ApiJudge.peek(t) : "is pending (it runs again)"));
        } else if (t.future.isCancelled()) {
            judge.violation("lost: " + t + " added again in run " + run + " was taken for delivered by an earlier run"
                    + " (" + ApiJudge.peek(t) + "), though " + k);
        }
    }

    /** An iterator of this run delivered the task: a value at most once over the runs, nothing once marked. */
    void delivered(ApiTask t, boolean failure) {
        Key k = key(t);
        if (k.values > 0 || k.marked) {
            judge.violation(t + " was delivered again in run " + run + " (" + (failure ? "a failure" : "its value")
                    + "): " + k);
        }
        if (failure) {
            k.failures++;
        } else {
            k.values++;
            k.journaled = true;
        }
    }

    /** The run ended (its manager closed): the values its futures hold were journaled. */
    void ended(List<ApiTask> tasks) {
        for (ApiTask t : tasks) {
            if (t.future != null && t.future.isDone() && !t.future.isCancelled() && ApiJudge.peek(t).startsWith("value")) {
                valueSeen(t);
            }
        }
    }

    /** A failure an iterator delivered was {@code from}'s, the test thought, and is {@code to}'s after all. */
    void moveFailure(ApiTask from, ApiTask to) {
        key(from).failures--;
        key(to).failures++;
    }

    /** The program saw the task's value through its future: the result is journaled. */
    void valueSeen(ApiTask t) {
        key(t).journaled = true;
    }

    /**
     * Checks no key ran again once its result was journaled (counting executions now for keys journaled since the
     * last check).
     */
    void checkExecutions() {
        Map<Integer, Integer> ran = executionsByKey();
        for (Key k : keys.values()) {
            int n = ran.getOrDefault(k.value, 0);
            if (k.journaled && k.executionsWhenJournaled < 0) {
                k.executionsWhenJournaled = n;
                if (n == 0 && !k.marked) {
                    judge.violation("key " + k.value + ": its value was seen, yet it never ran: " + k);
                }
            } else if (k.executionsWhenJournaled >= 0 && n > k.executionsWhenJournaled) {
                judge.violation("key " + k.value + " ran again (run " + run + ", " + n + " executions, "
                        + k.executionsWhenJournaled + " when its result was journaled): " + k);
                k.executionsWhenJournaled = n;
            }
        }
    }

    /**
     * The end of the last run, which added every key and read every context to its end: none was lost.
     *
     * @param outstanding the keys whose tasks the last run's workers could not run: none was left (as the lost-worker
     *     replacements allowed, see {@link ApiWorkers}), and they were waiting, not lost
     */
    void checkNoneLost(java.util.Set<Integer> outstanding) {
        for (Key k : keys.values()) {
            if (k.values + k.failures == 0 && !outstanding.contains(k.value)) {
                judge.violation("lost: " + k + " was never delivered over " + run + " runs, the last of which added"
                        + " it again and read its context to the end");
            }
        }
    }

    private Map<Integer, Integer> executionsByKey() {
        Map<Integer, Integer> ran = new HashMap<>();
        try (Stream<Path> files = Files.list(executions)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                ran.merge(Integer.parseInt(name.substring(0, name.indexOf('.'))), 1, Integer::sum);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ran;
    }
}
