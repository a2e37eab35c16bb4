package org.jparallel.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.ManagerSettings;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.core.config.ResolvedConfig;

/**
 * Starts one worker of a group the way a run would (a manager with the configured settings, the
 * group's backend and keys), waits for it to connect and run a task, and reports what became of it:
 * the host it connected from, or the detail and output tail of its failure with the key to set. It never opens the
 * configured journal, which is the campaign's.
 */
final class ProbeCheck {
    private final ManagerSettings settings;
    private final ResolvedConfig.Group group;
    private final Duration timeout;

    ProbeCheck(ManagerSettings settings, ResolvedConfig.Group group, Duration timeout) {
        this.settings = settings;
        this.group = group;
        this.timeout = timeout;
    }

    static String name(ResolvedConfig.Group g) {
        return "probe worker (group " + g.name() + ", " + g.backend().name() + ")";
    }

    /** A task whose class is in the jparallel command's jar: running it shows the worker can load code. */
    static String whereAmI(Object ignored) {
        return hostName() + " (pid " + ProcessHandle.current().pid() + ")";
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown host";
        }
    }

    CheckResult run() {
        String name = name(group);
        CountDownLatch decided = new CountDownLatch(1);
        AtomicReference<WorkerInfo> outcome = new AtomicReference<>();
        ProgressListener watch = new ProgressListener() {
            @Override
            public void workerJoined(WorkerInfo worker) {
                outcome.compareAndSet(null, worker);
                decided.countDown();
            }

            @Override
            public void workerFailed(WorkerInfo worker) {
                outcome.compareAndSet(null, worker);
                decided.countDown();
            }
        };
        // no journal: the configuration's is the campaign's (opening it would make it the probe's, or fail on it)
        ManagerBuilder builder = Manager.builder().from(settings).noJournal().startTimeout(timeout)
                .listener(watch);
        if (group.backend().name().equals("local") && settings.outputPattern().equals(ManagerSettings.DEFAULT_OUTPUT_PATTERN)) {
            builder.outputPattern(probeDirectory().resolve("worker%d.output").toString());
        }
        try (Manager manager = builder.build()) {
            manager.addWorker(group.backend().createGroup(1, group.settings()));
            if (!decided.await(timeout.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
                return CheckResult.fail(name, "the worker neither connected nor failed within " + timeout.toSeconds()
                        + " s + 15 s", unreachableFix());
            }
            WorkerInfo w = outcome.get();
            if (w.state() != WorkerInfo.State.CONNECTED) {
                return failed(name, w);
            }
            Context<Void, String> ctx = manager.getContext();
            TaskFuture<String> f = ctx.addTask(ProbeCheck::whereAmI);
            try {
                String where = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return CheckResult.ok(name, "a " + group.backend().name() + " worker started, reached the manager on port "
                        + manager.listenAddress().getPort() + " and ran a task on " + where);
            } catch (ExecutionException e) {
                return CheckResult.fail(name, "the worker connected but could not run a task: " + e.getCause().getMessage(),
                        e.getCause().getMessage().contains("ClassNotFoundException") ? classpathFix()
                                : "see the message above; the worker's output file has the details");
            } catch (TimeoutException e) {
                return CheckResult.fail(name, "the worker connected but did not finish a trivial task within "
                        + timeout.toSeconds() + " s", "check the worker's output file for errors");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(name, "interrupted", "");
        } catch (RuntimeException e) {
            return CheckResult.fail(name, "could not start a probe worker: " + e.getMessage(),
                    "see the message above");
        }
    }

    private CheckResult failed(String name, WorkerInfo w) {
        String detail = w.detail();
        String lower = detail.toLowerCase(Locale.ROOT);
        boolean network = lower.contains("did not connect within") || lower.contains("could not reach the manager")
                || lower.contains("connection refused") || lower.contains("timed out") || lower.contains("no route");
        String fix;
        if (network) {
            fix = unreachableFix();
        } else if (lower.contains("classnotfound") || lower.contains("could not find or load main class")) {
            fix = classpathFix();
        } else if (lower.contains("unrecognized") || lower.contains("invalid") && lower.contains("option")) {
            fix = "fix the worker JVM options (jparallel.worker.jvm-options or " + Doctor.key(group, "jvm-options") + ")";
        } else {
            fix = "the lines quoted above are the end of the worker's output; the README's troubleshooting section "
                    + "lists the usual causes";
        }
        return CheckResult.fail(name, "the worker did not connect: " + detail, fix);
    }

    private String unreachableFix() {
        String groupKey = Doctor.declares(group, "host") ? " (or " + Doctor.key(group, "host") + " for this group)" : "";
        return "the worker could not reach the manager at the address it was given: set jparallel.manager.host" + groupKey
                + " to an address of this machine that the workers can reach (this machine has "
                + String.join(", ", NetworkChecks.localAddresses()) + "), make jparallel.manager.bind (now "
                + (settings.bindAddress() == null ? "every interface" : settings.bindAddress()) + ") include it, "
                + "and let the port through any firewall (jparallel.manager.port fixes the port)";
    }

    private String classpathFix() {
        return "the worker cannot load jparallel's or the application's classes: set jparallel.worker.classpath"
                + (Doctor.declares(group, "classpath") ? " or " + Doctor.key(group, "classpath") : "")
                + (group.backend().name().equals("ssh") ? ", or ship the jars with jparallel.ssh.ship=true" : "");
    }

    private static Path probeDirectory() {
        try {
            return Files.createTempDirectory("jparallel-doctor-");
        } catch (java.io.IOException e) {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
    }
}
