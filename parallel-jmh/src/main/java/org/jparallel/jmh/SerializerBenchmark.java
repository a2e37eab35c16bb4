package org.jparallel.jmh;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jparallel.Task;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.SerialFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@link Payloads#serialize(Object)} and {@link Payloads#deserialize(byte[], ClassLoader,
 * SerialFilter)} (with {@link SerialFilter#defaults()}) on what a run moves: a serializable lambda
 * task capturing an int (the typical trivial task), an {@code Integer} result, a 100 KB
 * {@code byte[]} and a small value class. It exists because Java serialization is, with the codec,
 * the CPU work jparallel adds to every task on both sides; these figures bound the trivial-task
 * throughput a single manager thread can reach, and show what a faster serializer would gain.
 *
 * <p>Five warm-up seconds, not three: reading a lambda back runs several times slower than its
 * steady state for the first 3 to 4 seconds (about 100,000 reads) of a fresh JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public class SerializerBenchmark {
    /** What is serialized: see {@link #value(String)}. */
    @Param({"lambdaTask", "integer", "bytes100k", "pojo"})
    public String value;

    private final ClassLoader loader = SerializerBenchmark.class.getClassLoader();
    private final SerialFilter filter = SerialFilter.defaults();
    private Object object;
    private byte[] serialized;

    /** Builds the value and its serialized form, and checks that it reads back equal. */
    @Setup(Level.Trial)
    public void prepare() throws IOException, ClassNotFoundException {
        object = value(value);
        serialized = Payloads.serialize(object);
        Object back = Payloads.deserialize(serialized, loader, filter);
        boolean same = object instanceof Task<?, ?> task
                ? back instanceof Task<?, ?> t && Objects.equals(run(task), run(t))
                : object instanceof byte[] b ? back instanceof byte[] c && java.util.Arrays.equals(b, c)
                : object.equals(back);
        if (!same) {
            throw new IllegalStateException(value + " did not survive serialization: " + back);
        }
    }

    /** @return the serialized bytes of the value */
    @Benchmark
    public byte[] serialize() {
        return Payloads.serialize(object);
    }

    /**
     * @return the object read back
     * @throws IOException never here
     * @throws ClassNotFoundException never here
     */
    @Benchmark
    public Object deserialize() throws IOException, ClassNotFoundException {
        return Payloads.deserialize(serialized, loader, filter);
    }

    private static Object value(String name) {
        return switch (name) {
            case "lambdaTask" -> task(42);
            case "integer" -> Integer.valueOf(1_000_003);
            case "bytes100k" -> {
                byte[] b = new byte[100 * 1024];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (i * 31 + 7);
                }
                yield b;
            }
            case "pojo" -> new Sample(17, 1_700_000_000_000L, 0.125, "temperature-0.35");
            default -> throw new IllegalArgumentException("unknown value " + name);
        };
    }

    /** A task as users write it: a lambda that captures a local int and nothing else. */
    private static Task<Void, Integer> task(int k) {
        return s -> k;
    }

    @SuppressWarnings("unchecked")
    private static Object run(Task<?, ?> t) {
        try {
            return ((Task<Object, Object>) t).run(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small value class of the kind tasks return: a few primitive fields and a short string. */
    static final class Sample implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int id;
        private final long timestamp;
        private final double value;
        private final String label;

        Sample(int id, long timestamp, double value, String label) {
            this.id = id;
            this.timestamp = timestamp;
            this.value = value;
            this.label = label;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && s.id == id && s.timestamp == timestamp
                    && Double.compare(s.value, value) == 0 && s.label.equals(label);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, timestamp, value, label);
        }

        @Override
        public String toString() {
            return "Sample[" + id + ", " + timestamp + ", " + value + ", " + label + "]";
        }
    }
}
