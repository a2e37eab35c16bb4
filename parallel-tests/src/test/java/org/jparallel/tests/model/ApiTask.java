package org.jparallel.tests.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.Task;
import org.jparallel.TaskFuture;

/**
 * One task of {@link ApiModel}: what it does on its worker (its {@link Kind}), the unique value it returns, the
 * context it was added to, its future (none for a task added through {@code map}), and what the test did to it
 * and saw of it.
 */
final class ApiTask {
    /** What a task does on its worker, and so how it may end. */
    enum Kind {
        /** Returns its value at once. */
        VALUE,
        /** Throws an {@link IllegalStateException}. */
        THROWS,
        /** Sleeps 20 ms, returns its value. */
        SLEEPS_BRIEFLY,
        /** Sleeps 1.5 s, returns its value: holds its worker while tasks queue behind it. */
        SLEEPS_LONG,
        /** Returns its value at once, with a time limit of 1 s it cannot reach. */
        QUICK_WITH_LIMIT,
        /** Sleeps 3 s with a time limit of 300 ms: times out. */
        OVER_LIMIT,
        /** Halts its worker's JVM ({@code Runtime.getRuntime().halt}). */
        HALTS,
        /** Carries 48 KB (a big payload: kept off the heap and sent apart), checks it, returns its value. */
        BIG;

        long limitMillis() {
            return this == QUICK_WITH_LIMIT ? 1000 : this == OVER_LIMIT ? 300 : 0;
        }

        boolean returns() {
            return this == VALUE || this == SLEEPS_BRIEFLY || this == SLEEPS_LONG || this == QUICK_WITH_LIMIT
                    || this == BIG;
        }
    }

    private static final Pattern PID = Pattern.compile("pid (\\d+)");

    final int value;
    final Kind kind;
    final Ctx context;
    TaskFuture<Integer> future;
    /** {@code cancel} returned true for it. */
    boolean cancelled;
    /** Added again after a restart with a key an earlier run delivered: its future is cancelled at once. */
    boolean abandoned;
    /** How many times an iterator delivered it (a value or a failure). */
    int delivered;
    /** Added by map, the lost worker's failure an iterator gave that the test took for its own (a guess). */
    org.jparallel.TaskFailedException guessed;
    /** The first outcome seen of it (through an iterator or its future), to compare later ones with. */
    String seen;

    ApiTask(int value, Kind kind, Ctx context) {
        this.value = value;
        this.kind = kind;
        this.context = context;
    }

    /** @return the task to run: a lambda that captures only ints, so it is serializable */
    Task<Object, Integer> body() {
        int v = value;
        switch (kind) {
            case THROWS:
                return s -> {
                    throw new IllegalStateException("task of value " + v + " threw");
                };
            case SLEEPS_BRIEFLY:
                return s -> {
                    Thread.sleep(20);
                    return v;
                };
            case SLEEPS_LONG:
                return s -> {
                    Thread.sleep(1500);
                    return v;
                };
            case OVER_LIMIT:
                return s -> {
                    Thread.sleep(3000);
                    return v;
                };
            case HALTS:
                return s -> {
                    Runtime.getRuntime().halt(3);
                    return v;
                };
            case BIG:
                byte[] carried = new byte[48 * 1024];
                java.util.Arrays.fill(carried, (byte) v);
                return s -> {
                    for (byte b : carried) {
                        if (b != (byte) v) {
                            throw new IllegalStateException("the 48 KB payload of value " + v + " arrived damaged");
                        }
                    }
                    return v;
                };
            default:
                return s -> v;
        }
    }

    /** @return the bodies of the tasks, taken from {@code tasks} one at a time as they are asked for */
    static Iterable<Task<Object, Integer>> bodies(Iterable<ApiTask> tasks) {
        return () -> {
            java.util.Iterator<ApiTask> it = tasks.iterator();
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Task<Object, Integer> next() {
                    return it.next().body();
                }
            };
        };
    }

    /** @return the pid in a worker's description ({@code worker 3 (local worker 3, pid 4711 on host)}), or -1 */
    static long pidOf(String worker) {
        Matcher m = PID.matcher(worker == null ? "" : worker);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public String toString() {
        return "task " + (future == null ? "(map)" : future.taskId()) + " value " + value + " " + kind
                + " in context " + context.id;
    }
}
