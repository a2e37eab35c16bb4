package org.jparallel.tests.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.Task;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;

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
        /**
         * Returns its value at once, with a time limit of 5 s it cannot reach. Not 1 s: the clock starts when the
         * task is sent, and a 2-cpu one goes to a worker that holds nothing, often one just started in a wave;
         * a cold worker JVM on a loaded machine (load 24 on 2 cores) took over 1 s for it (seed 1001); so did a
         * 1-slot worker's first task before bytes tasks and waves (seed 4958116701889890688, load 29).
         */
        QUICK_WITH_LIMIT,
        /** Sleeps 3 s with a time limit of 300 ms: times out. */
        OVER_LIMIT,
        /** Halts its worker's JVM ({@code Runtime.getRuntime().halt}). */
        HALTS,
        /** Ends its worker's JVM with {@code System.exit(3)} (shutdown hooks run), as a task ending "its" program. */
        EXITS,
        /** Carries 48 KB (a big payload: kept off the heap and sent apart), checks it, returns its value. */
        BIG,
        /**
         * Carries a {@code byte[]} of 600 KB-1.2 MB (some of 1 MB and more: the manager's kept payload memory),
         * checks it, returns one of 600 KB-1.2 MB (a result of 512 KB and more: its array made when its frame
         * starts, within the manager's budget; up to 1 MB: copied by the worker into a direct buffer), both made
         * from its value ({@link #bytes}), which the judge checks byte for byte.
         */
        BYTES_BIG(600 * 1024, 1200 * 1024),
        /** As {@link #BYTES_BIG}, with a payload and a result of 32-512 KB (the recycled direct buffers). */
        BYTES_MID(32 * 1024, 512 * 1024),
        /**
         * Returns its value at once; keyed, with a journal, by the longest key allowed ({@link #key}): its delivery
         * mark is about 12 KB, so {@link ApiInterrupts#LONG_KEYS} of them cross the marks' 1 MiB mapping.
         */
        LONG_KEY;

        /** The sizes of a bytes kind's payload and result, from {@code from} to {@code to} bytes; 0 for others. */
        final int from;
        final int to;

        Kind() {
            this(0, 0);
        }

        Kind(int from, int to) {
            this.from = from;
            this.to = to;
        }

        /** @return whether its payload and result are {@code byte[]}s made by {@link ApiTask#bytes} */
        boolean bytes() {
            return to > 0;
        }

        long limitMillis() {
            return this == QUICK_WITH_LIMIT ? 5000 : this == OVER_LIMIT ? 300 : 0;
        }

        /** @return whether it ends its worker's JVM (a poison task): it may only fail, with its workers lost */
        boolean kills() {
            return this == HALTS || this == EXITS;
        }

        boolean returns() {
            return this == VALUE || this == LONG_KEY || this == SLEEPS_BRIEFLY || this == SLEEPS_LONG || this == QUICK_WITH_LIMIT
                    || this == BIG || bytes();
        }
    }

    private static final Pattern PID = Pattern.compile("pid (\\d+)");
    /** What {@link #bytes} makes: a task's payload, or its result. */
    static final int PAYLOAD = 1;
    static final int RESULT = 2;

    final int value;
    final Kind kind;
    final Ctx context;
    TaskFuture<Object> future;
    /** {@code cancel} returned true for it. */
    boolean cancelled;
    /** Added again after a restart with a key an earlier run delivered: its future is cancelled at once. */
    boolean abandoned;
    /** How many times an iterator delivered it (a value or a failure). */
    int delivered;
    /** Added by map, the lost worker's failure an iterator gave that the test took for its own (a guess). */
    org.jparallel.TaskFailedException guessed;
    /** The model's clock ({@link ApiEvents#now}) when it was added (or drawn by map), and when it was cancelled. */
    long addedAt;
    long cancelledAt;
    /** With a journal: its key was added by an earlier run, so its result may come from the journal. */
    boolean again;
    /** The first outcome seen of it (through an iterator or its future), to compare later ones with. */
    String seen;

    ApiTask(int value, Kind kind, Ctx context) {
        this.value = value;
        this.kind = kind;
        this.context = context;
    }

    /** @return its key with a journal: see {@link #key(int, Kind)} */
    String key() {
        return key(value, kind);
    }

    /**
     * @return the key of a task with a journal: its value, or for {@link Kind#LONG_KEY} its value padded to
     *     {@link TaskOptions#MAX_KEY_LENGTH} characters with one of three bytes in the journal's encoding (the
     *     longest mark a key makes)
     */
    static String key(int value, Kind kind) {
        String v = Integer.toString(value);
        return kind == Kind.LONG_KEY ? v + "/" + "\u20ac".repeat(TaskOptions.MAX_KEY_LENGTH - v.length() - 1) : v;
    }

    /** @return the task to run: a lambda that captures only ints and arrays, so it is serializable */
    Task<Object, Object> body() {
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
            case EXITS:
                return s -> {
                    System.exit(3);
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
            case BYTES_BIG, BYTES_MID:
                byte[] payload = bytes(kind, v, PAYLOAD);
                Kind k = kind;
                return s -> {
                    String damage = damage(payload, k, v, PAYLOAD);
                    if (damage != null) {
                        throw new IllegalStateException("the payload of value " + v + " arrived damaged: " + damage);
                    }
                    return bytes(k, v, RESULT);
                };
            default:
                return s -> v;
        }
    }

    /**
     * @param what {@link #PAYLOAD} or {@link #RESULT}
     * @return the bytes a task of this kind and value carries or returns: its value and their length in the first
     *     eight, then a stream drawn from the value, so that another task's result or a damaged one differs; of a
     *     length from the kind's range, drawn from the value too (a task added again makes the same)
     */
    static byte[] bytes(Kind kind, int value, int what) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(value * 31L + what);
        byte[] b = new byte[r.nextInt(kind.from, kind.to + 1)];
        java.nio.ByteBuffer.wrap(b).putInt(value).putInt(b.length);
        for (int i = 8; i < b.length; i += 8) {
            long x = r.nextLong();
            for (int j = i; j < Math.min(i + 8, b.length); j++, x >>>= 8) {
                b[j] = (byte) x;
            }
        }
        return b;
    }

    /** @return how {@code b} differs from what {@link #bytes} makes for the kind and value, or null when it does not */
    static String damage(byte[] b, Kind kind, int value, int what) {
        byte[] expected = bytes(kind, value, what);
        if (b.length != expected.length) {
            return b.length + " bytes, not " + expected.length;
        }
        int at = java.util.Arrays.mismatch(b, expected);
        return at < 0 ? null : "byte " + at + " of " + b.length + " is " + b[at] + ", not " + expected[at];
    }

    /** @return the task value a result names: an {@code Integer} itself, a {@code byte[]} in its first four bytes */
    static Integer valueOf(Object result) {
        if (result instanceof Integer i) {
            return i;
        }
        return result instanceof byte[] b && b.length >= 8 ? java.nio.ByteBuffer.wrap(b).getInt() : null;
    }

    /** @return a result as failure messages show it: a {@code byte[]} by its length and the value it names */
    static String describe(Object result) {
        return result instanceof byte[] b ? "a byte[" + b.length + "] naming value " + valueOf(b)
                : String.valueOf(result);
    }

    /** @return the bodies of the tasks, taken from {@code tasks} one at a time as they are asked for */
    static Iterable<Task<Object, Object>> bodies(Iterable<ApiTask> tasks) {
        return () -> {
            java.util.Iterator<ApiTask> it = tasks.iterator();
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Task<Object, Object> next() {
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
