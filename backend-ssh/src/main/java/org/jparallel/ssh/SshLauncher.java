package org.jparallel.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workers of one {@link SshWorker}: takes a free host slot for each ({@link SshSlots}; a
 * worker gives its slot back when it ends, so the group may start more later), ships the classpath
 * once per host when asked, then opens one session per worker (with its reverse forward in tunnel
 * mode) and launches it, all hosts and workers in parallel.
 */
final class SshLauncher {
    /** How long a start waits for its threads to end once it is done or interrupted. */
    private static final long START_THREADS_END_S = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SshLauncher.class);
    private static final int MAX_THREADS = 16;

    private final List<SshHost> hosts;
    private final SshSlots slots;
    private final SshSettings settings;
    /** Every handle this group made, with its host ({@code null} when it got no slot). */
    private final List<Placed> placed = new CopyOnWriteArrayList<>();
    private final Map<String, JarShipper.Report> shipReports = new ConcurrentHashMap<>();
    private Path packDir;

    private record Placed(SshHost host, SshWorkerHandle handle) {
    }

    SshLauncher(List<SshHost> hosts, SshSettings settings) {
        this.hosts = hosts;
        this.slots = new SshSlots(hosts);
        this.settings = settings;
    }

    /** @return the group's host slots and which are in use */
    SshSlots slots() {
        return slots;
    }

    List<SshWorkerHandle> handles() {
        return placed.stream().map(Placed::handle).toList();
    }

    List<JarShipper.Report> lastShipReports() {
        return List.copyOf(shipReports.values());
    }

    List<WorkerHandle> start(LaunchSpec spec) {
        List<Integer> ids = spec.workerIds();
        List<SshSlots.Lease> leases = takeSlots(ids.size());
        if (settings.hostKeyPolicy == HostKeyPolicy.INSECURE) {
            LOG.warn("!!! SSH HOST KEYS ARE NOT VERIFIED (jparallel.ssh.host-key=insecure): anyone able to intercept"
                    + " the connections to {} can impersonate them, read the run's secret and run code as the"
                    + " manager's tasks. Use strict (the default) or accept-new outside throw-away test networks. !!!",
                    hosts);
        }
        SshConnector connector;
        try {
            connector = settings.connector();
        } catch (SshSetupException e) {
            return allFailed(spec, leases, e.getMessage());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_THREADS, Math.max(1, ids.size())), r -> {
            Thread t = new Thread(r, "jparallel-ssh-start");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, String> classpathOf = new LinkedHashMap<>();
            Map<String, String> shipFailure = new LinkedHashMap<>();
            List<SshHost> where = leases.stream().filter(Objects::nonNull).map(SshSlots.Lease::host).toList();
            if (settings.ship && !where.isEmpty()) {
                ship(spec, where, connector, pool, classpathOf, shipFailure);
            }
            List<Future<SshWorkerHandle>> futures = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                int id = ids.get(i);
                SshSlots.Lease lease = leases.get(i);
                Path out = spec.outputFile(id).toAbsolutePath();
                if (lease == null) {
                    futures.add(CompletableFuture.completedFuture(SshWorkerHandle.failed(id, String.valueOf(hosts), out,
                            slots.noFreeSlot(settings.connectTimeout))));
                    continue;
                }
                String host = lease.host().host();
                futures.add(pool.submit(() -> {
                    if (shipFailure.containsKey(host)) {
                        return SshWorkerHandle.failed(id, connector.where(host), out, shipFailure.get(host));
                    }
                    String cp = settings.ship ? classpathOf.get(host)
                            : settings.classpath != null ? settings.classpath : spec.classpath();
                    return startOne(connector, spec, id, host, cp, out, lease::release);
                }));
            }
            List<WorkerHandle> handles = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                SshSlots.Lease lease = leases.get(i);
                SshWorkerHandle handle;
                try {
                    handle = futures.get(i).get();
                } catch (InterruptedException e) { // the manager is closing: the starts left are cut short
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    handle = SshWorkerHandle.failed(ids.get(i),
                            lease == null ? String.valueOf(hosts) : connector.where(lease.host().host()),
                            spec.outputFile(ids.get(i)).toAbsolutePath(), "not started: the manager is closing");
                } catch (Exception e) {
                    handle = SshWorkerHandle.failed(ids.get(i),
                            lease == null ? String.valueOf(hosts) : connector.where(lease.host().host()),
                            spec.outputFile(ids.get(i)).toAbsolutePath(), "could not start: " + e);
                }
                if (lease != null && handle.remotePid() <= 0) {
                    lease.release(); // it never ran: its slot is free again
                }
                placed.add(new Placed(lease == null ? null : lease.host(), handle));
                handles.add(handle);
            }
            return handles;
        } finally {
            endStarts(pool);
        }
    }

    /**
     * Ends the start threads and waits for them (a few seconds at most, whatever interrupts): one interrupted by the
     * manager's close still writes its worker's reason to its output file, which must happen before this start
     * returns and the close goes on (a test's temporary directory was deleted under such a write).
     */
    private static void endStarts(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_THREADS_END_S);
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes a slot for each of {@code n} workers, waiting up to the connect timeout in all for slots
     * whose workers are ending (released or stopped a moment ago).
     *
     * @return a slot per worker, {@code null} for one that got none
     */
    private List<SshSlots.Lease> takeSlots(int n) {
        List<SshSlots.Lease> leases = new ArrayList<>(n);
        long deadline = System.nanoTime() + settings.connectTimeout.toNanos();
        for (int i = 0; i < n; i++) {
            SshSlots.Lease lease;
            try {
                lease = slots.take(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the manager is closing: the rest fail at once
                lease = slots.tryTake();
            }
            leases.add(lease); // none: its FAILED handle says why

        }
        return leases;
    }

    /** @param onEnd run once the worker has ended (its output has ended), to give its slot back */
    private SshWorkerHandle startOne(SshConnector connector, LaunchSpec spec, int id, String host, String cp, Path out,
                                     Runnable onEnd) {
        Session session = null;
        try {
            session = connector.connect(host);
            List<String> addresses;
            if (settings.tunnel) {
                String target = spec.host() != null ? spec.host() : "127.0.0.1";
                int rport = session.setPortForwardingR("127.0.0.1:0:" + target + ":" + spec.port());
                LOG.debug("ssh worker {}: {} 127.0.0.1:{} forwards to {}:{}", id, host, rport, target, spec.port());
                addresses = List.of("127.0.0.1:" + rport);
            } else {
                addresses = spec.managerAddresses(false);
            }
            RemoteCommand cmd = new RemoteCommand().javaCommand(settings.javaCommand).jvmOptions(spec.jvmOptions())
                    .classpath(cp).mainClass(spec.mainClass()).managerAddresses(addresses).workerId(id)
                    .directory(settings.directory).envPrefix(settings.envPrefix).lifetime(spec.lifetime());
            return SshWorkerHandle.launch(connector, session, host, id, cmd, spec.secretText(), out,
                    settings.connectTimeout, spec.mainClass(), onEnd);
        } catch (SshSetupException e) {
            if (session != null) {
                session.disconnect();
            }
            return SshWorkerHandle.failed(id, connector.where(host), out, e.getMessage());
        } catch (JSchException e) {
            session.disconnect();
            return SshWorkerHandle.failed(id, connector.where(host), out, "cannot open the reverse port forward"
                    + " (jparallel.ssh.tunnel=true) on " + connector.where(host) + ": " + e.getMessage()
                    + " (does its sshd allow it? AllowTcpForwarding yes)");
        }
    }

    private void ship(LaunchSpec spec, List<SshHost> where, SshConnector connector, ExecutorService pool,
                      Map<String, String> classpathOf, Map<String, String> shipFailure) {
        List<ClasspathArtifacts.Artifact> artifacts;
        try {
            synchronized (this) {
                if (packDir == null) {
                    packDir = Files.createTempDirectory("jparallel-ssh-pack-");
                    packDir.toFile().deleteOnExit();
                }
            }
            artifacts = ClasspathArtifacts.collect(spec.classpath(), packDir);
            artifacts.forEach(a -> {
                if (!a.file().equals(a.source())) {
                    a.file().toFile().deleteOnExit();
                }
            });
        } catch (IOException e) {
            for (SshHost h : where) {
                shipFailure.put(h.host(), "cannot prepare the classpath for shipping: " + e);
            }
            return;
        }
        shipReports.clear();
        Map<String, Future<JarShipper.Report>> jobs = new LinkedHashMap<>();
        for (SshHost h : where) {
            jobs.computeIfAbsent(h.host(), host -> pool.submit(() -> shipTo(connector, host, artifacts)));
        }
        jobs.forEach((host, job) -> {
            try {
                JarShipper.Report r = job.get();
                classpathOf.put(host, r.remoteClasspath());
                shipReports.put(host, r);
            } catch (Exception e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                shipFailure.put(host, c instanceof SshSetupException ? c.getMessage() : "cannot ship the classpath to "
                        + connector.where(host) + ": " + c);
            }
        });
    }

    private static JarShipper.Report shipTo(SshConnector connector, String host,
                                            List<ClasspathArtifacts.Artifact> artifacts) throws SshSetupException {
        Session s = connector.connect(host);
        try {
            ChannelSftp sftp = (ChannelSftp) s.openChannel("sftp");
            sftp.connect(30_000);
            try {
                return JarShipper.ship(sftp, artifacts, connector.where(host));
            } finally {
                sftp.disconnect();
            }
        } catch (JSchException e) {
            throw new SshSetupException("cannot open SFTP on " + connector.where(host) + ": " + e.getMessage()
                    + " (does its sshd have an sftp Subsystem?)", e);
        } finally {
            s.disconnect();
        }
    }

    private List<WorkerHandle> allFailed(LaunchSpec spec, List<SshSlots.Lease> leases, String reason) {
        SshConnectorless names = new SshConnectorless(settings);
        List<WorkerHandle> out = new ArrayList<>();
        for (int i = 0; i < spec.workerIds().size(); i++) {
            int id = spec.workerIds().get(i);
            SshSlots.Lease lease = leases.get(i);
            SshHost host = lease == null ? null : lease.host();
            SshWorkerHandle h = SshWorkerHandle.failed(id, host == null ? String.valueOf(hosts) : names.where(host.host()),
                    spec.outputFile(id).toAbsolutePath(), lease == null ? slots.noFreeSlot(settings.connectTimeout) : reason);
            if (lease != null) {
                lease.release();
            }
            placed.add(new Placed(host, h));
            out.add(h);
        }
        return out;
    }

    /** Names user@host:port without a connector (which could not be made). */
    private record SshConnectorless(SshSettings s) {
        String where(String host) {
            return s.user + "@" + host + ":" + s.port;
        }
    }
}
