package org.jparallel.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's grip on one worker started over SSH: its own session (which also carries the tunnel,
 * in tunnel mode) and the exec channel the worker runs in. The worker's output is copied into its
 * local output file; its status comes from the channel, at no cost; {@link #stop()} kills the remote
 * process by pid and closes the session. Thread-safe.
 */
public final class SshWorkerHandle implements WorkerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(SshWorkerHandle.class);
    private static final long KILL_WAIT_MS = 5_000;

    private final int workerId;
    private final String where;
    private final String host;
    private final Path output;
    private final String failure;
    private final SshConnector connector;
    private final Session session;
    private final ChannelExec channel;
    private final OutputPump pump;
    private final long pid;
    private final String mainClass;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SshWorkerHandle(int workerId, String where, String host, Path output, String failure, SshConnector connector,
                            Session session, ChannelExec channel, OutputPump pump, long pid, String mainClass) {
        this.workerId = workerId;
        this.where = where;
        this.host = host;
        this.output = output;
        this.failure = failure;
        this.connector = connector;
        this.session = session;
        this.channel = channel;
        this.pump = pump;
        this.pid = pid;
        this.mainClass = mainClass;
    }

    /** @return the handle of a worker that never started, for {@code reason}, also written to its output file */
    static SshWorkerHandle failed(int workerId, String where, Path output, String reason) {
        LOG.warn("ssh worker {} on {} did not start: {}", workerId, where, reason);
        try {
            Path parent = output.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.debug("ssh worker {}: cannot write {}: {}", workerId, output, e.toString());
        }
        return new SshWorkerHandle(workerId, where, null, output, reason, null, null, null, null, -1, null);
    }

    /**
     * Runs the worker command on {@code session} and hands it the secret once the remote shell has
     * become the worker. Takes ownership of the session: it is closed on failure and by {@link #stop()}.
     *
     * @param connector to reconnect for a kill when the session has dropped
     * @param session a connected session (with its tunnel, in tunnel mode)
     * @param host the remote host
     * @param workerId the worker's id
     * @param command the worker's command
     * @param secret the run's secret
     * @param output the local output file (overwritten)
     * @param timeout how long the remote shell may take to reach the worker
     * @param onEnd run once when the worker's output has ended: it exited, was stopped, or its session
     *     dropped (also when this start fails after the command ran)
     * @return the handle of the running worker
     * @throws SshSetupException when the worker could not be started, saying why
     */
    static SshWorkerHandle launch(SshConnector connector, Session session, String host, int workerId,
                                  RemoteCommand command, String secret, Path output, Duration timeout,
                                  String mainClass, Runnable onEnd) throws SshSetupException {
        String where = connector.where(host);
        ChannelExec ch = null;
        try {
            Path parent = output.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream file = Files.newOutputStream(output, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            LOG.debug("starting ssh worker {} on {}: {}", workerId, where, command.script());
            OpenedExec exec = openExec(session, command, file, timeout, where);
            ch = exec.channel();
            OutputPump pump = new OutputPump(exec.out(), file, "worker-" + workerId, onEnd);
            OutputStream stdin = exec.in();
            pump.start();
            long pid = pump.pid().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (pid <= 0) {
                throw new SshSetupException(startFailure(ch, pump, where, output));
            }
            // Only the worker reads standard input from here on: it takes the first line.
            stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            LOG.debug("started ssh worker {} on {} (remote pid {}), output in {}", workerId, where, pid, output);
            return new SshWorkerHandle(workerId, where, host, output, null, connector, session, ch, pump, pid, mainClass);
        } catch (SshSetupException e) {
            close(ch, session);
            throw e;
        } catch (TimeoutException e) {
            close(ch, session);
            throw new SshSetupException("the start-up command on " + where + " did not reach java within "
                    + timeout.toSeconds() + " s (a slow login script, or jparallel.ssh.env-prefix waiting for something?)"
                    + tail(output));
        } catch (IOException | JSchException | ExecutionException e) {
            close(ch, session);
            throw new SshSetupException("cannot run the worker command on " + where + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(ch, session);
            throw new SshSetupException("interrupted while starting a worker on " + where, e);
        }
    }

    /**
     * Opens the exec channel of the worker's command, trying once more when the server refuses the
     * channel ("channel is not opened"): nothing has run yet then, and a server busy with many
     * sessions refused one now and then (seen with OpenSSH under load in CI).
     */
    private static OpenedExec openExec(Session session, RemoteCommand command, OutputStream file, Duration timeout,
                                       String where) throws JSchException, IOException {
        for (int attempt = 1; ; attempt++) {
            ChannelExec ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command.command());
            ch.setErrStream(new SharedOutput(file), true); // the login shell's own complaints, before exec 2>&1
            java.io.InputStream out = ch.getInputStream(); // asked for before connect, or early output is lost
            OutputStream in = ch.getOutputStream();
            try {
                ch.connect((int) timeout.toMillis());
                return new OpenedExec(ch, out, in);
            } catch (JSchException e) {
                ch.disconnect();
                if (attempt == 2 || !session.isConnected() || !String.valueOf(e.getMessage()).contains("not opened")) {
                    throw e;
                }
                LOG.info("{} refused the worker's channel ({}); trying once more", where, e.getMessage());
                sleep(200);
            }
        }
    }

    /** An exec channel, connected, with its output and input streams (taken before it connected). */
    private record OpenedExec(ChannelExec channel, java.io.InputStream out, OutputStream in) {
    }

    private static String startFailure(ChannelExec ch, OutputPump pump, String where, Path output) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!ch.isClosed() && System.nanoTime() < deadline) {
            sleep(10);
        }
        pump.join(1000);
        int code = ch.getExitStatus();
        String line = pump.failureLine();
        if (line != null) {
            return line + " (" + where + ", exit code " + code + ")";
        }
        return "the start-up command on " + where + " ended with exit code " + code + " before starting java"
                + tail(output);
    }

    private static String tail(Path output) {
        String t = OutputTail.of(output, 10).strip();
        return t.isEmpty() ? "" : "; its output:\n" + t.indent(4).stripTrailing();
    }

    @Override
    public int workerId() {
        return workerId;
    }

    /** @return the worker's pid on its host, or -1 when it never started */
    public long remotePid() {
        return pid;
    }

    /** @return the host the worker runs on, or {@code null} when it never started */
    public String host() {
        return host;
    }

    @Override
    public String description() {
        return "ssh worker " + workerId + " on " + where + (pid > 0 ? " (remote pid " + pid + ")" : " (not started)");
    }

    @Override
    public WorkerStatus status() {
        if (failure != null) {
            return WorkerStatus.failed(failure);
        }
        if (!channel.isClosed()) {
            return WorkerStatus.running();
        }
        int code = channel.getExitStatus();
        if (code < 0) {
            return WorkerStatus.failed("the SSH session to " + where + " ended without the worker's exit status"
                    + " (connection dropped?)");
        }
        return new WorkerStatus(WorkerStatus.Phase.EXITED, code, "exited with code " + code + " on " + where);
    }

    @Override
    public String outputTail(int maxLines) {
        return OutputTail.of(output, maxLines);
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    /**
     * Kills the remote worker unless it already exited (SIGTERM, then SIGKILL after 2 s, over the
     * worker's session or, when that has dropped, over a new one), then closes the channel and the
     * session, which also ends the tunnel. Idempotent; never throws.
     */
    @Override
    public void stop() {
        if (failure != null || !stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean exited = channel.isClosed() && channel.getExitStatus() >= 0;
            if (!exited && pid > 0) {
                killRemote();
            }
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", description(), e.toString());
        } finally {
            close(channel, session);
            pump.join(500);
        }
    }

    private void killRemote() {
        Session s = session;
        boolean own = false;
        try {
            if (!s.isConnected()) {
                s = connector.connect(host);
                own = true;
            }
            ChannelExec k = (ChannelExec) s.openChannel("exec");
            k.setCommand(RemoteCommand.killCommand(pid, mainClass));
            k.setInputStream(null);
            k.connect((int) KILL_WAIT_MS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS);
            while (!k.isClosed() && System.nanoTime() < deadline) {
                sleep(20);
            }
            k.disconnect();
            LOG.debug("killed {}", description());
        } catch (SshSetupException | JSchException e) {
            LOG.warn("cannot kill {}: {}; it exits by itself when its manager connection ends", description(),
                    e.getMessage());
        } finally {
            if (own) {
                s.disconnect();
            }
        }
    }

    private static void close(ChannelExec ch, Session session) {
        if (ch != null) {
            ch.disconnect();
        }
        if (session != null) {
            session.disconnect();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return description();
    }

    /** Lets JSch's stderr copy share the output file with the pump; writes after the file closed are dropped. */
    private static final class SharedOutput extends OutputStream {
        private final OutputStream file;

        SharedOutput(OutputStream file) {
            this.file = file;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (file) {
                try {
                    file.write(b, off, len);
                    file.flush();
                } catch (IOException e) {
                    // the pump closed the file: the worker's output has ended
                }
            }
        }
    }
}
