package org.jparallel.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a remote worker's output (its exec channel's standard output) line by line into its local
 * output file, on a daemon thread. Before the worker starts it also watches for the start-up
 * script's {@link RemoteCommand#PID_MARKER} line, which completes {@link #pid()}, and for a {@link
 * RemoteCommand#FAILURE_PREFIX} line, kept as {@link #failureLine()}. Its end is the worker's end
 * as far as the group's host slots are concerned ({@link SshSlots}).
 */
final class OutputPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final OutputStream out;
    private final String name;
    private final CompletableFuture<Long> pid = new CompletableFuture<>();
    private volatile String failureLine;
    private final Thread thread;
    private final Runnable onEnd;

    /**
     * @param in the channel's output
     * @param out the output file, closed when the channel's output ends
     * @param name for the thread's name and the log
     * @param onEnd run once when the channel's output has ended (the worker exited, or its channel or
     *     session closed)
     */
    OutputPump(InputStream in, OutputStream out, String name, Runnable onEnd) {
        this.in = in;
        this.out = out;
        this.name = name;
        this.onEnd = onEnd;
        this.thread = new Thread(this, "jparallel-ssh-output-" + name);
        thread.setDaemon(true);
    }

    /** Starts copying. */
    void start() {
        thread.start();
    }

    /** @return completes with the worker's pid, or with -1 when the output ended before the pid line */
    CompletableFuture<Long> pid() {
        return pid;
    }

    /** @return the start-up script's explanation of a failure, or {@code null} */
    String failureLine() {
        return failureLine;
    }

    /** Waits up to {@code millis} for the copy to end (after the channel closed). */
    void join(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!pid.isDone()) {
                    if (line.startsWith(RemoteCommand.PID_MARKER)) {
                        try {
                            pid.complete(Long.parseLong(line.substring(RemoteCommand.PID_MARKER.length()).trim()));
                            continue;
                        } catch (NumberFormatException e) {
                            LOG.debug("{}: bad pid line {}", name, line);
                        }
                    } else if (line.startsWith(RemoteCommand.FAILURE_PREFIX)) {
                        failureLine = line.substring(RemoteCommand.FAILURE_PREFIX.length());
                    }
                }
                synchronized (out) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: output copy ended: {}", name, e.toString());
        } finally {
            pid.complete(-1L);
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("{}: closing output: {}", name, e.toString());
            }
            onEnd.run();
        }
    }
}
