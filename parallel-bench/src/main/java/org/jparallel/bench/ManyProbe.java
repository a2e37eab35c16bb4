package org.jparallel.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;

/**
 * A short probe of warm trivial tasks on N local workers (issue 24 item 4: 8 workers on 2 cores): after a
 * warm-up, runs batches and prints, per batch, the rate, the CPU per task of the manager and of the
 * workers, and their context switches per task, read from {@code /proc} (Linux). With {@code --threads}
 * it also prints the CPU per task of each thread name. It exists to find where the time goes with more
 * workers than cores, and to compare builds interleaved (run it once per build, alternating).
 * Usage: {@code ManyProbe WORKERS [BATCHES [TASKS [WARM_SECONDS]]] [--threads]}, with {@code -Dmany.prefetch=N}
 * for a fixed prefetch and {@code -Dmany.worker.opts="OPTION ..."} for options of the worker JVMs; {@code
 * ManyProbe --limits WORKERS} prints the Netty ping-pong limits (64 B, 64 and 256 in flight per connection).
 */
public final class ManyProbe {
    private ManyProbe() {
    }

    /** CPU (ns) and context switches (voluntary, involuntary) of a set of processes, by thread name. */
    private record Sample(long cpu, long vol, long invol, Map<String, Long> byThread) {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean threads = rest.remove("--threads");
        if (rest.remove("--limits")) {
            int w = Integer.parseInt(rest.get(0));
            for (int inFlight : new int[] {64, 256}) {
                System.out.printf(Locale.ROOT, "limit workers=%d inFlight=%d pingpong=%.0f%n", w, inFlight,
                        Limits.pingPong(w, 64, inFlight, 1));
            }
            return;
        }
        int workers = Integer.parseInt(rest.get(0));
        int batches = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 5;
        int tasks = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 200_000;
        double warmSeconds = rest.size() > 3 ? Double.parseDouble(rest.get(3)) : 12;
        int prefetch = Integer.getInteger("many.prefetch", 0);
        Path dir = Files.createTempDirectory("jparallel-many");
        try (Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).prefetch(prefetch).build()) {
            String opts = System.getProperty("many.worker.opts", "").trim();
            m.addWorker(opts.isEmpty() ? new LocalWorker(workers) : new LocalWorker(workers).jvmOptions(opts.split(" ")));
            Scenarios.awaitConnected(m, workers);
            Context<Void, Integer> ctx = m.getContext();
            long until = System.nanoTime() + (long) (warmSeconds * 1e9);
            while (System.nanoTime() < until) {
                Scenarios.runTrivial(ctx, 100_000);
            }
            JitSettle jit = new JitSettle();
            long settleUntil = System.nanoTime() + 20_000_000_000L;
            do {
                Scenarios.runTrivial(ctx, 100_000);
            } while (jit.compilerShareSinceLast() > JitSettle.SETTLED_SHARE && System.nanoTime() < settleUntil);
            List<Long> pids = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")).map(ProcessHandle::pid).toList();
            long self = ProcessHandle.current().pid();
            double[] rates = new double[batches];
            for (int b = 0; b < batches; b++) {
                Sample m0 = sample(List.of(self));
                Sample w0 = sample(pids);
                rates[b] = Scenarios.runTrivial(ctx, tasks);
                Sample m1 = sample(List.of(self));
                Sample w1 = sample(pids);
                System.out.printf(Locale.ROOT, "workers=%d batch=%d rate=%.0f mgrCpuNs/task=%.0f wrkCpuNs/task=%.0f"
                        + " mgrVol/task=%.3f mgrInvol/task=%.3f wrkVol/task=%.3f wrkInvol/task=%.3f%n", workers, b,
                        rates[b], (m1.cpu - m0.cpu) / (double) tasks, (w1.cpu - w0.cpu) / (double) tasks,
                        (m1.vol - m0.vol) / (double) tasks, (m1.invol - m0.invol) / (double) tasks,
                        (w1.vol - w0.vol) / (double) tasks, (w1.invol - w0.invol) / (double) tasks);
                if (threads && b == batches - 1) {
                    print("manager", m0, m1, tasks);
                    print("workers", w0, w1, tasks);
                }
            }
            System.out.printf(Locale.ROOT, "workers=%d median=%.0f%n", workers, Stats.median(rates));
        }
    }

    private static void print(String who, Sample a, Sample b, int tasks) {
        b.byThread.forEach((name, ns) -> {
            double per = (ns - a.byThread.getOrDefault(name, 0L)) / (double) tasks;
            if (per >= 10) {
                System.out.printf(Locale.ROOT, "  %s %-20s %.0f ns/task%n", who, name, per);
            }
        });
    }

    private static Sample sample(List<Long> pids) {
        long cpu = 0;
        long vol = 0;
        long invol = 0;
        Map<String, Long> byThread = new TreeMap<>();
        for (long pid : pids) {
            try (DirectoryStream<Path> ts = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : ts) {
                    try {
                        long ns = ThreadCpu.nanos(t);
                        cpu += ns;
                        byThread.merge(Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#"), ns,
                                Long::sum);
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")) {
                                vol += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                invol += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // a thread that ended meanwhile
                    }
                }
            } catch (IOException e) {
                // a process that ended
            }
        }
        return new Sample(cpu, vol, invol, byThread);
    }
}
