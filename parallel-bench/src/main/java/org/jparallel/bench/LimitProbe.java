package org.jparallel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A ping-pong limit measured in a JVM of its own, started for it: the benchmark's JVM warms its JIT and
 * fills its heap as the run goes, so a limit taken in it at the start and again at the end moved by a
 * third on a quiet machine (26,512 and 35,164 round trips/s) and flagged the run. Each limit here
 * starts from the same state, a fresh JVM, and runs the same ping-pong unmeasured first for {@link
 * #warmUpSeconds}, then again until its JIT compilers have settled ({@link JitSettle}), so the measured one
 * runs compiled code.
 *
 * <p>Usage (by {@link Limits#pingPong}): {@code LimitProbe CONNECTIONS SIZE IN_FLIGHT SECONDS}; prints the
 * round trips per second on its last line.
 */
public final class LimitProbe {
    private LimitProbe() {
    }

    /** @param args {@code CONNECTIONS SIZE IN_FLIGHT SECONDS} */
    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int inFlight = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        Limits.pingPongHere(connections, size, inFlight, warmUpSeconds(seconds));
        // then until this JVM's compilers have settled: a second of warm-up left a fresh JVM's pipelined
        // 64 B ping-pong at a sixth of the rate the benchmark's warm JVM gave (168-182k vs 1.13M round trips/s)
        JitSettle jit = new JitSettle(List.of(ProcessHandle.current().pid()));
        long start = System.nanoTime();
        do {
            Limits.pingPongHere(connections, size, inFlight, 0.5);
        } while (jit.compilerShareSinceLast() > JitSettle.SETTLED_SHARE && System.nanoTime() - start < SETTLE_MAX_NANOS);
        double rate = Limits.pingPongHere(connections, size, inFlight, seconds);
        System.out.println(String.format(Locale.ROOT, "%.3f", rate));
    }

    /** The longest the ping-pong is repeated, after the first, for the JIT compilers to settle. */
    private static final long SETTLE_MAX_NANOS = 30_000_000_000L;

    /** @return how long the first unmeasured ping-pong before a measured one of {@code seconds} lasts */
    static double warmUpSeconds(double seconds) {
        return Math.max(3, seconds);
    }

    /**
     * @return the round trips per second of the ping-pong, measured by a new JVM of the manager's java and
     *     classpath, given {@code heap} ({@code -Xmx}) and as much direct memory
     */
    static double forked(int connections, int size, int inFlight, double seconds, String heap)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        for (String property : List.of("bench.maxRead", "bench.legacyPingPong")) {
            if (System.getProperty(property) != null) {
                cmd.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LimitProbe.class.getName(),
                Integer.toString(connections), Integer.toString(size), Integer.toString(inFlight),
                Double.toString(seconds)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code = p.waitFor();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        if (code != 0 || last.isEmpty()) {
            throw new IllegalStateException("the ping-pong JVM (" + String.join(" ", cmd.subList(cmd.size() - 5,
                    cmd.size())) + ") exited with " + code + " and printed '" + out + "'; its errors are above");
        }
        return Double.parseDouble(last);
    }
}
