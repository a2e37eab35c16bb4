package org.jparallel.core.worker;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.PerSlotSetup;
import org.jparallel.Task;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;

/**
 * What {@link ClassSharingTrainer}'s worker runs: the kinds of tasks users send, so that the worker's code for
 * each is loaded in the worker's JVM, which lists it for the archive. Lambdas capturing plain values (written without a serialization stream)
 * and others (a record, an array: a thin stream), a big array (attached to the payload), a task class, contexts
 * with and without a setup (one per task slot too), results of every payload format, a task that throws and a
 * running one cancelled (its worker interrupts it), read through futures, in order, as they complete and through
 * the bounded maps. A few thousand tiny tasks make the workers batch their replies and hold several tasks at once.
 */
final class TrainingTasks {
    /** How many tiny tasks the bulk of the training runs. */
    static final int SMALL_TASKS = 2_000;
    /** How many rounds of the mixed tasks run (the first sends each lambda's shape, the later refer to it). */
    static final int MIXED_ROUNDS = 8;
    private static final long WAIT_SECONDS = 30;
    /** An array this big travels attached to its task's payload ({@link org.jparallel.core.serial.AttachedArray}). */
    private static final int BIG_ARRAY = 64 * 1024;

    /** How many tasks {@link #cancels} blocks and cancels: more than the worker's slots, so that some wait on it. */
    private static final int BLOCKED_TASKS = 12;
    /** How often the trainer looks for a blocked task's marker file. */
    private static final long MARKER_POLL_MILLIS = 10;
    /** The marker file a blocked task writes as it starts, in the trainer's temporary directory. */
    static final String RUNNING = "running";
    /** The marker file a blocked task writes as its worker interrupts it. */
    static final String INTERRUPTED = "interrupted";

    private TrainingTasks() {
    }

    /** A small result or captured value that needs Java serialization: a user's record. */
    record Sample(int number, String text, long[] values) implements Serializable {
    }

    /** A task written as a class, not a lambda. */
    static final class Square implements Task<Object, Integer> {
        private static final long serialVersionUID = 1L;
        private final int n;

        Square(int n) {
            this.n = n;
        }

        @Override
        public Integer run(Object setup) {
            return n * n;
        }
    }

    /** A failure a task throws on purpose. */
    static final class TrainingFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TrainingFailure(String message) {
            super(message);
        }
    }

    /**
     * Runs every kind of task on the manager's workers and checks the results.
     *
     * @throws IllegalStateException when a result is not what its task returns
     * @param dir a directory of the trainer's, where the worker's tasks leave marker files
     */
    static void run(Manager manager, Path dir) throws Exception {
        bulk(manager);
        mixed(manager);
        withSetups(manager);
        failures(manager);
        cancels(manager, dir);
    }

    /** The first task through its future, then many tiny ones as they complete and through the bounded map. */
    private static void bulk(Manager manager) throws Exception {
        try (Context<Void, Integer> ints = manager.getContext()) {
            int base = 20;
            TaskFuture<Integer> first = ints.addTask(s -> base + 1);
            check(first.get(WAIT_SECONDS, TimeUnit.SECONDS) == 21, "the first task's result");
            long expected = 21;
            for (int i = 0; i < SMALL_TASKS / 2; i++) {
                int n = i;
                ints.addTask(s -> n + 1);
                expected += i + 1;
            }
            long sum = 0;
            for (int r : ints.getResultsUnordered()) { // the first task's result too: its future does not take it
                sum += r;
            }
            check(sum == expected, "the tiny tasks' results");
            List<Task<Object, Integer>> tasks = new ArrayList<>();
            long squares = 0;
            for (int i = 0; i < SMALL_TASKS / 2; i++) {
                long n = i;
                tasks.add(s -> (int) (n % 7));
                squares += i % 7;
            }
            long mapped = 0;
            for (int r : ints.mapUnordered(tasks, 256)) {
                mapped += r;
            }
            check(mapped == squares, "the mapped tasks' results");
        }
    }

    /** Results and captured values of every payload format, in order. */
    private static void mixed(Manager manager) throws Exception {
        try (Context<Void, Object> mixed = manager.getContext()) {
            List<Object> expected = new ArrayList<>();
            for (int round = 0; round < MIXED_ROUNDS; round++) {
                int n = round;
                long big = 1L << 40 | round;
                double half = round + 0.5;
                String word = "word" + round;
                Sample sample = new Sample(round, word, new long[] {round, big});
                int[] numbers = {round, round + 1, round + 2};
                byte[] bulky = new byte[BIG_ARRAY];
                bulky[round] = (byte) round;
                mixed.addTask(s -> n);
                expected.add(round);
                mixed.addTask(s -> big + 1);
                expected.add(big + 1);
                mixed.addTask(s -> half * 2);
                expected.add(half * 2);
                mixed.addTask(s -> n % 2 == 0);
                expected.add(round % 2 == 0);
                mixed.addTask(s -> word + "!");
                expected.add(word + "!");
                mixed.addTask(s -> null);
                expected.add(null);
                mixed.addTask(s -> new byte[] {(byte) n, 1, 2});
                expected.add(new byte[] {(byte) round, 1, 2});
                mixed.addTask(s -> new byte[BIG_ARRAY]);
                expected.add(new byte[BIG_ARRAY]);
                mixed.addTask(s -> new Sample(n, word, new long[] {n}));
                expected.add(new Sample(round, word, new long[] {round}));
                mixed.addTask(s -> sample.text().length() + sample.values().length);
                expected.add(word.length() + 2);
                mixed.addTask(s -> Arrays.stream(numbers).sum());
                expected.add(3 * round + 3);
                mixed.addTask(s -> (int) bulky[n]);
                expected.add(round);
                mixed.addTask(s -> new ArrayList<>(List.of(word, n)));
                expected.add(new ArrayList<>(List.of(word, round)));
                mixed.addTask(new Square(round));
                expected.add(round * round);
            }
            int i = 0;
            for (Object r : mixed.getResults()) {
                Object e = expected.get(i++);
                check(same(r, e), "result " + i + " of the mixed tasks: " + r);
            }
            check(i == expected.size(), "the mixed tasks' count");
        }
    }

    private static boolean same(Object r, Object e) {
        if (r instanceof byte[] a && e instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        if (r instanceof Sample a && e instanceof Sample b) {
            return a.number() == b.number() && a.text().equals(b.text()) && Arrays.equals(a.values(), b.values());
        }
        return r == null ? e == null : r.equals(e);
    }

    /** A context with a setup, read in order, and one whose setup runs once per task slot. */
    private static void withSetups(Manager manager) throws Exception {
        try (Context<String, Integer> shared = manager.getContext(() -> "setup")) {
            List<Task<String, Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                tasks.add(s -> s.length() + n);
            }
            int i = 0;
            for (int r : shared.map(tasks)) {
                check(r == 5 + i++, "a setup's task's result");
            }
        }
        try (Context<StringBuilder, Integer> perSlot =
                     manager.getContext((PerSlotSetup<StringBuilder>) () -> new StringBuilder("slot"))) {
            long sum = 0;
            for (int i = 0; i < 200; i++) {
                perSlot.addTask(sb -> sb.append('.').length() > 0 ? 1 : 0);
            }
            for (int r : perSlot.getResultsUnordered()) {
                sum += r;
            }
            check(sum == 200, "the per-slot setup's tasks");
        }
    }

    /** A task that throws, its failure read through an iteration and through its future. */
    private static void failures(Manager manager) throws Exception {
        try (Context<Void, Integer> failing = manager.getContext()) {
            TaskFuture<Integer> thrown = failing.addTask(s -> {
                throw new TrainingFailure("a failure the class sharing trainer makes on purpose");
            });
            int failed = 0;
            for (var it = failing.getResultsUnordered().iterator(); it.hasNext(); ) {
                try {
                    it.next();
                } catch (TaskFailedException e) {
                    failed++;
                }
            }
            check(failed == 1, "the failing task failed");
            try {
                thrown.get(WAIT_SECONDS, TimeUnit.SECONDS);
                check(false, "a failing task's future");
            } catch (ExecutionException e) {
                check(e.getCause() instanceof TaskFailedException, "a failing task's future: " + e.getCause());
            }
        }
    }

    /**
     * Tasks cancelled as they run (their worker interrupts them) and as they wait on the worker behind them (it
     * skips them). The worker is another JVM: a blocked task writes a marker file in {@code dir} as it starts and
     * another as it is interrupted, which the trainer waits for (bounded: a task blocks {@value #WAIT_SECONDS} s at
     * most, and a marker that does not come is only said, the training goes on).
     */
    private static void cancels(Manager manager, Path dir) throws Exception {
        String running = dir.resolve(RUNNING).toString();
        String interrupted = dir.resolve(INTERRUPTED).toString();
        try (Context<Void, Integer> held = manager.getContext()) {
            List<TaskFuture<Integer>> blocked = new ArrayList<>();
            for (int i = 0; i < BLOCKED_TASKS; i++) {
                blocked.add(held.addTask(s -> {
                    mark(running);
                    try {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                    } catch (InterruptedException e) {
                        mark(interrupted);
                        throw e;
                    }
                    return 0;
                }));
            }
            if (!awaitMarker(Path.of(running))) {
                System.err.println("jparallel trainer: no task to cancel started within " + WAIT_SECONDS + " s");
            }
            for (TaskFuture<Integer> f : blocked) {
                f.cancel(true); // a task that ended meanwhile stays done: no failure
            }
            if (!awaitMarker(Path.of(interrupted))) {
                System.err.println("jparallel trainer: no running task was interrupted within " + WAIT_SECONDS + " s");
            }
            check(held.addTask(s -> 2).get(WAIT_SECONDS, TimeUnit.SECONDS) == 2, "a task after the cancels");
        }
    }

    /** Writes a marker file (in the worker); a marker that cannot be written only leaves the trainer waiting less. */
    private static void mark(String file) {
        try {
            Files.write(Path.of(file), new byte[0]);
        } catch (IOException e) {
            // the trainer's bounded wait ends the same
        }
    }

    /** @return whether the marker file appeared within {@value #WAIT_SECONDS} s (the worker is another JVM: polled) */
    private static boolean awaitMarker(Path marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.exists(marker)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(MARKER_POLL_MILLIS);
        }
        return true;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("the training went wrong: " + what);
        }
    }
}
