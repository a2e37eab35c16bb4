package org.jparallel.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.ClassSharingTraining;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.ProcessTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training JVMs of one local worker group. A worker whose classpath holds a directory with files loads the task's
 * classes from it, which an archive cannot hold (the JVM archives classes from jars only), while an archive of the
 * jars serves it once its directories come after them ({@link ClasspathOrder}); so beside the group's first workers a short-lived JVM
 * starts with their java, environment and working directory but the classpath's jars alone and none of their JVM
 * options, runs a manager over loopback ({@code ClassSharingTrainer} in parallel-core) and one worker process with
 * the workers' JVM options and slots, which lists the classes it loads (so the list holds a worker's classes alone);
 * once it has ended, the archive is written of them ({@link ClassSharing.Writer#finish}), which the group's later
 * starts, and later runs, use. Its output goes to a file beside the archive, removed
 * afterwards. It ends by itself within seconds, at once when the manager's JVM ends (its standard input, a pipe
 * from the manager, closes), and is given {@link #CLOSE_WAIT_MS} when the manager closes ({@link #awaitAll}), then
 * killed. A training that fails leaves a note beside the archives ({@link ClassSharing#failedBefore}), so that the
 * same configuration is not trained again at every run; new jars, or deleting the note, try again.
 */
final class ArchiveTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveTraining.class);

    /** The training JVM's main class (parallel-core). */
    static final String MAIN_CLASS = ClassSharingTraining.MAIN_CLASS;
    static final String EXIT_WHEN_STDIN_CLOSES = ClassSharingTraining.EXIT_WHEN_STDIN_CLOSES;
    static final String TLS = ClassSharingTraining.TLS;
    static final String CLASS_LIST_TO = ClassSharingTraining.CLASS_LIST_TO;
    static final String WORKER_SLOTS = ClassSharingTraining.WORKER_SLOTS;
    static final String WORKER_JVM_OPTION = ClassSharingTraining.WORKER_JVM_OPTION;
    /** Its exit code when its standard input closed: the manager's JVM ended, which is no failure of training. */
    static final int EXIT_STARTER_GONE = ClassSharingTraining.EXIT_STARTER_GONE;
    /** How long a manager's close waits for a training still running before it kills it. */
    static final long CLOSE_WAIT_MS = 10_000;
    /** How long a manager's close waits at least for the archive's writing once a training has ended. */
    static final long AFTER_EXIT_WAIT_MS = 5_000;
    /** How long a killed training and its worker are waited for. */
    private static final long KILL_WAIT_MS = 2_000;
    /** How long a training may run at most (the trainer's own limit is 60 s), then it is killed. */
    static final long LIMIT_MS = 120_000;

    /** Each training running, with the end of its after-exit step (the archive moved into place or discarded). */
    private final Map<Process, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    private final String mainClass;
    /** Set by the manager's close ({@link #awaitAll}): no training starts after it. */
    private volatile boolean closed;

    ArchiveTraining() {
        this(MAIN_CLASS);
    }

    /** @param mainClass the training JVM's main class ({@link #MAIN_CLASS} but in tests) */
    ArchiveTraining(String mainClass) {
        this.mainClass = mainClass;
    }

    /**
     * Starts a training JVM; when it cannot start, the writer is abandoned (the workers start without an archive).
     * The training JVM runs with none of the workers' JVM options (it runs a manager, which they are not meant
     * for): it hands them to the worker process it starts, which lists the classes it loads.
     *
     * @param javaCommand the workers' java command, its words
     * @param jvmOptions the workers' JVM options (without class sharing options)
     * @param slots the workers' task slots, a number or {@code auto}
     * @param training what to train and who keeps the archive
     * @param environment the workers' environment
     * @param workingDirectory the workers' working directory, or {@code null} for the manager's
     */
    void start(List<String> javaCommand, List<String> jvmOptions, String slots, ClassSharing.Training training,
               WorkerEnvironment environment, Path workingDirectory) {
        ClassSharing.Writer writer = training.writer();
        if (closed) { // the manager closed while this wave was being planned: nothing would wait for the training
            writer.abandon();
            return;
        }
        // named as the temporary archive is (*.tmp), so that a stale lock's clean-up removes it with the archive
        String temp = writer.temporaryFile().getFileName().toString();
        Path log = writer.temporaryFile().resolveSibling(temp.substring(0, temp.length() - ".tmp".length()) + ".log.tmp");
        List<String> command = new ArrayList<>(javaCommand);
        command.addAll(List.of("-cp", training.classpath(), mainClass, EXIT_WHEN_STDIN_CLOSES));
        if (training.tls()) {
            command.add(TLS);
        }
        command.addAll(List.of(CLASS_LIST_TO, writer.classListFile().toString()));
        if (slots != null && !slots.equals("1")) {
            command.addAll(List.of(WORKER_SLOTS, slots));
        }
        for (String option : jvmOptions) {
            command.addAll(List.of(WORKER_JVM_OPTION, option));
        }
        ProcessBuilder pb = new WorkerProcess(environment, workingDirectory).builder(command)
                .redirectOutput(log.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not start the class data sharing training: {}", e.toString());
            writer.abandon();
            delete(log);
            return;
        }
        LOG.debug("training the class data sharing archive for a classpath with directories (pid {}): {}", p.pid(),
                command);
        // whatever the JVM does before the trainer's own time limit runs (an agent holding it before main)
        CompletableFuture.delayedExecutor(LIMIT_MS, TimeUnit.MILLISECONDS).execute(new Runnable() {
            @Override
            public void run() {
                if (p.isAlive()) {
                    LOG.debug("the class data sharing training (pid {}) ran past {} ms; killing it", p.pid(), LIMIT_MS);
                    kill(p); // with its worker
                }
            }
        });
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.put(p, done);
        p.onExit().thenRunAsync(() -> {
            try {
                ended(p, writer, log);
            } finally {
                running.remove(p);
                done.complete(null);
            }
        }, AfterExit.THREAD);
    }

    private void ended(Process p, ClassSharing.Writer writer, Path log) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // the pipe to a process that has ended
        }
        int code = p.exitValue();
        if (code == 0) {
            writer.finish(code);
        } else {
            writer.abandon();
            // only the trainer's own failure (1) or refusal of its arguments (2), and a JVM that would not start (1),
            // are worth a note: not a signal (an IDE's stop, Ctrl-C, the close's kill), its time limit or its
            // manager's end
            if (code == 1 || code == 2) {
                writer.noteFailure("the JVM training it for workers whose classpath holds directories failed (exit"
                        + " code " + code + "); its last lines:\n" + OutputFiles.lastLines(read(log), 20));
            }
        }
        delete(log);
    }

    /**
     * @param jvmOptions the workers' JVM options
     * @return the first that a training JVM should not run (a debugger's or an agent's: a port taken twice, a JVM
     *     held before its main), or {@code null}
     */
    static String agentOption(List<String> jvmOptions) {
        for (String o : jvmOptions) {
            if (o.startsWith("-agentlib") || o.startsWith("-agentpath") || o.startsWith("-javaagent")
                    || o.startsWith("-Xrunjdwp") || o.equals("-Xdebug")) {
                return o;
            }
        }
        return null;
    }

    /**
     * Waits for the trainings still running, then kills those that have not ended: the manager is closing.
     *
     * @param maxMillis how long to wait in all
     */
    void awaitAll(long maxMillis) {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        for (Map.Entry<Process, CompletableFuture<Void>> e : List.copyOf(running.entrySet())) {
            Process p = e.getKey();
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.debug("the class data sharing training (pid {}) did not end in time; killing it", p.pid());
                    kill(p);
                }
                // its archive written of its worker's list and moved into place (about a second), or discarded
                e.getValue().get(Math.max(AFTER_EXIT_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                kill(p);
                return;
            } catch (Exception ex) {
                LOG.debug("waiting for the class data sharing training (pid {}): {}", p.pid(), ex.toString());
            }
        }
    }

    /**
     * Kills a training JVM and its worker process: a SIGKILL leaves the trainer no time to end its worker, which
     * would live on, then write the archive into the directory after the writer had cleaned it up.
     */
    private static void kill(Process p) {
        if (!ProcessTrees.kill(p.toHandle(), 0, KILL_WAIT_MS)) {
            LOG.debug("the killed class data sharing training (pid {}) or its worker had not ended after {} ms", p.pid(),
                    KILL_WAIT_MS);
        }
    }

    /** @return how many trainings are running (for tests) */
    int running() {
        return running.size();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", f, e.toString());
        }
    }
}
