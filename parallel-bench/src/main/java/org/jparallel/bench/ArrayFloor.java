package org.jparallel.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What any JVM program pays to receive a payload as a new {@code byte[]}, whatever its transport: the
 * second limit of the benchmark's big tasks. The Netty ping-pong moves bytes between two JVMs without ever
 * putting them in a Java array; a jparallel task {@code s -> data} must deliver a new array into the
 * worker's heap and another into the program's. Java zeroes each, and in heap the JVM has not touched yet
 * each 4 KB page faults first (about 13 us on the 2-core virtual machine measured): a floor no transport
 * avoids. This program, started as a fresh JVM the way the benchmark starts its manager or a worker, makes
 * such arrays and fills them from a direct buffer (as the bytes come from a socket's read buffer), in the
 * sequence of {@code Scenarios.bigTask}: the task's own array, 50 arrays of 1 MB, one of the size unmeasured,
 * then three measured, each garbage once filled, as the benchmark's are.
 *
 * <p>Usage (by {@link #forked}): {@code ArrayFloor manager|worker MB...} ({@code manager} also keeps the task's
 * own array of the size, as the program does; a worker receives its task's array and has no other); for each
 * size in turn, in this one JVM, prints
 * a line {@code MB MEDIAN_MS MIN_MS MAX_MS FAULTS COPY_MS}: the wall milliseconds to make and fill one array
 * (median, min and max of three), the minor page faults of the median one, and the milliseconds to fill
 * an array already touched (the copy alone, so the rest is zeroing and faults). Linux only for the faults.
 */
public final class ArrayFloor {
    /** The read buffer the bytes are copied from, made once: a socket read buffer is reused. */
    private static final int CHUNK = 1 << 20;
    /** Keeps the arrays from being optimised away; each is overwritten by the next, so garbage as in the benchmark. */
    @SuppressWarnings("unused")
    private static volatile byte[] sink;

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private ArrayFloor() {
    }

    /** @param args {@code manager} or {@code worker}, then the sizes in MB, measured in turn in this JVM */
    public static void main(String[] args) throws IOException {
        boolean manager = switch (args[0]) {
            case "manager" -> true;
            case "worker" -> false;
            default -> throw new IllegalArgumentException("the first argument is the side, manager or worker, not "
                    + args[0]);
        };
        ByteBuffer source = ByteBuffer.allocateDirect(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            source.put(i, (byte) i);
        }
        for (String a : List.of(args).subList(1, args.length)) {
            int mb = Integer.parseInt(a);
            int size = mb << 20;
            // the program's task argument, reachable while this size runs (Scenarios.bigTask's data)
            byte[] task = manager ? new byte[size] : null;
            for (int i = 0; i < 50; i++) {
                receive(source, 1 << 20);
            }
            receive(source, size);
            double[] ms = new double[3];
            long[] faults = new long[3];
            for (int i = 0; i < ms.length; i++) {
                long f = minorFaults();
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                receive(source, size);
                ms[i] = (System.nanoTime() - start) / 1e6;
                faults[i] = minorFaults() - f;
                if (Boolean.getBoolean("floor.verbose")) { // for a note: this thread's CPU too, which load does not inflate
                    System.err.printf(Locale.ROOT, "%d MB #%d: %.3f ms, CPU %.3f ms, %d faults%n", mb, i, ms[i],
                            (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6, faults[i]);
                }
            }
            byte[] touched = task != null ? task : new byte[size];
            fill(source, touched);
            long cpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            fill(source, touched);
            double copyMs = (System.nanoTime() - start) / 1e6;
            if (Boolean.getBoolean("floor.verbose")) {
                System.err.printf(Locale.ROOT, "%d MB, the copy alone: %.3f ms, CPU %.3f ms%n", mb, copyMs,
                        (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
            }
            int median = medianIndex(ms);
            System.out.println(String.format(Locale.ROOT, "%d %.3f %.3f %.3f %d %.3f", mb, ms[median], Stats.min(ms),
                    Stats.max(ms), faults[median], copyMs));
            sink = touched;
        }
    }

    /** Makes a new array of {@code size} bytes and fills it from {@code source}, as a receiving side must. */
    private static void receive(ByteBuffer source, int size) {
        byte[] a = new byte[size];
        fill(source, a);
        sink = a;
    }

    private static void fill(ByteBuffer source, byte[] a) {
        for (int off = 0; off < a.length; off += CHUNK) {
            source.get(0, a, off, Math.min(CHUNK, a.length - off));
        }
    }

    private static int medianIndex(double[] v) {
        double m = Stats.median(v);
        for (int i = 0; i < v.length; i++) {
            if (v[i] == m) {
                return i;
            }
        }
        return 0;
    }

    /** @return this process's minor page faults so far, or -1 where there is none */
    static long minorFaults() {
        return minorFaults(ProcessHandle.current().pid());
    }

    /** @return the minor page faults of a process so far (field 10 of {@code /proc/PID/stat}), -1 if unknown */
    static long minorFaults(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command's closing parenthesis: state is field 3, minflt field 10
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A worker's heap options as the benchmark's {@code LocalWorker} gets them: its {@code -Xmx2g}, and the
     * initial heap the local launcher adds ({@code org.jparallel.local.InitialHeap.OPTION}; keep the two alike).
     */
    static final List<String> WORKER_OPTIONS = List.of("-Xmx2g", "-Xms64m");

    /** @return this JVM's heap and {@code -XX} options: the program's side, as the benchmark's JVM runs it */
    static List<String> managerOptions() {
        List<String> options = new ArrayList<>();
        for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (o.startsWith("-Xm") || o.startsWith("-XX:")) {
                options.add(o);
            }
        }
        return options;
    }

    /**
     * @return {@code options} with a heap that is all touched from the start: its initial size the maximum
     *     (this JVM's, when the options set none) and {@code -XX:+AlwaysPreTouch}
     */
    static List<String> touched(List<String> options) {
        List<String> touched = new ArrayList<>();
        String max = "-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m";
        for (String o : options) {
            if (o.startsWith("-Xmx")) {
                max = o;
            } else if (!o.startsWith("-Xms") && !o.equals("-XX:-AlwaysPreTouch")) {
                touched.add(o);
            }
        }
        touched.addAll(List.of(max, "-Xms" + max.substring(4), "-XX:+AlwaysPreTouch"));
        return touched;
    }

    /**
     * What {@link #main} measured for one size.
     *
     * @param mb the array's size in MB
     * @param ms the median wall milliseconds to make and fill one array
     * @param minMs the fastest of the three
     * @param maxMs the slowest of the three
     * @param faults the minor page faults of the median one (-1 if unknown)
     * @param copyMs the milliseconds to fill an array already touched: the copy alone
     */
    record Floor(int mb, double ms, double minMs, double maxMs, long faults, double copyMs) {
    }

    /**
     * Runs this program in a new JVM of this JVM's java and classpath.
     *
     * @param jvmOptions the new JVM's options (heap), as the side measured gets them
     * @param manager whether the JVM is the program's side (keeps the task's array too) or a worker's
     * @param mbs the sizes, measured in turn in that one JVM
     * @return one floor per size, in order
     */
    static List<Floor> forked(List<String> jvmOptions, boolean manager, int... mbs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ArrayFloor.class.getName(),
                manager ? "manager" : "worker"));
        for (int mb : mbs) {
            cmd.add(Integer.toString(mb));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code = p.waitFor();
        List<Floor> floors = new ArrayList<>();
        for (String line : out.isEmpty() ? new String[0] : out.split("\n")) {
            String[] f = line.trim().split(" ");
            floors.add(new Floor(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5])));
        }
        if (code != 0 || floors.size() != mbs.length) {
            throw new IllegalStateException("the array floor JVM (" + String.join(" ", jvmOptions) + ") exited with "
                    + code + " and printed '" + out + "'; its errors are above");
        }
        return floors;
    }
}
