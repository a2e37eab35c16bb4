package org.jparallel.core.worker;

import io.netty.util.internal.logging.InternalLogger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.jparallel.Manager;
import org.jparallel.core.worker.startup.NettyDefaults;
import org.jparallel.core.worker.startup.SelectorProviderDefault;
import org.jparallel.core.worker.startup.WorkerLogs;
import org.jparallel.core.worker.startup.WorkerWarmUp;

/**
 * The main class of a short-lived JVM that loads what a local worker loads, so that the class data sharing
 * archive it writes at its exit ({@code -XX:ArchiveClassesAtExit}) serves the workers. The local backend starts it
 * with the workers' JVM options and the jars of their classpath only, when their classpath also holds directories
 * (an IDE's or Maven's {@code target/classes}): a JVM that loaded a class from a directory refuses to write an
 * archive, so the group's first worker cannot write it itself, while an archive of the jars serves a worker whose
 * classpath has the directories after them.
 *
 * <p>It runs, in this one JVM, a real manager and real worker clients over loopback: it starts as {@link WorkerMain}
 * does (the same start-up steps, so their classes are covered), then a manager without journal, status page or
 * configuration file (nothing the user set for their own managers is read), on an ephemeral loopback port, whose
 * workers ({@link TrainingWorkers}) are worker clients on threads of this JVM, one with one task slot and one
 * with two; they run a few thousand tasks of every kind users send ({@link TrainingTasks}). Then it closes the
 * manager and exits. It writes no file but the archive: the manager's output pattern points into a temporary
 * directory, deleted at the end.
 *
 * <p>Arguments: {@value #EXIT_WHEN_STDIN_CLOSES} exits (code {@value #EXIT_STARTER_GONE}) as soon as standard input
 * ends, which is how the manager that started it going away shows; without it standard input is not read (a
 * terminal, or {@code /dev/null}). {@value #TLS} runs the manager with TLS, its workers over Netty's pipeline (for
 * a manager that runs TLS: its workers load three times the classes). {@value #TIME_LIMIT_MS} {@code N} bounds the
 * whole run (default {@value #DEFAULT_TIME_LIMIT_MS} ms; exit code {@value #EXIT_TIMED_OUT}). {@value #HOLD}, for
 * tests, keeps the JVM running after the training until one of those ends it, saying {@value #HOLDING} on standard
 * error first.
 *
 * <p>Exit codes: 0 trained; 1 the training failed (logged); 2 bad arguments; {@value #EXIT_STARTER_GONE} standard
 * input closed; {@value #EXIT_TIMED_OUT} the time limit passed. The JVM writes the archive at any exit: only one
 * after code 0 covers a worker's classes.
 */
public final class ClassSharingTrainer {
    /** The argument that makes the end of standard input end the trainer. */
    public static final String EXIT_WHEN_STDIN_CLOSES = "--exit-when-stdin-closes";
    /** The argument that has the trainer's manager run TLS, as the manager the archive is for does. */
    public static final String TLS = "--tls";
    /** The argument that bounds the trainer's run, in milliseconds. */
    static final String TIME_LIMIT_MS = "--time-limit-ms";
    /** The argument that keeps the trainer running after its training (tests). */
    static final String HOLD = "--hold";
    /** What {@value #HOLD} says on standard error once trained. */
    static final String HOLDING = "jparallel trainer: trained, holding";
    /** The default of {@value #TIME_LIMIT_MS}. */
    static final long DEFAULT_TIME_LIMIT_MS = 60_000;
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_STARTER_GONE = WorkerMain.EXIT_STARTER_GONE;
    static final int EXIT_TIMED_OUT = 6;
    /** The task slots of each training worker: one (every worker's default), and several. */
    static final List<String> WORKER_SLOTS = List.of("1", "2");
    /** How long the workers are given to end once the manager closed. */
    private static final long WORKERS_END_MILLIS = 5_000;

    /** Guards {@link #temporary} and {@link #ending}. */
    private static final Object TEMPORARY_LOCK = new Object();
    /** The temporary directory, deleted at any exit; {@code null} before it exists. */
    private static Path temporary;
    /** Set once the exit has begun: no temporary directory is made after it was deleted. */
    private static boolean ending;

    private ClassSharingTrainer() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) {
        boolean watchInput = false;
        boolean hold = false;
        boolean tls = false;
        long limitMillis = DEFAULT_TIME_LIMIT_MS;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case EXIT_WHEN_STDIN_CLOSES -> watchInput = true;
                    case HOLD -> hold = true;
                    case TLS -> tls = true;
                    case TIME_LIMIT_MS -> {
                        limitMillis = Long.parseLong(args[++i]);
                        if (limitMillis <= 0) {
                            throw new IllegalArgumentException(TIME_LIMIT_MS + " needs a number of milliseconds above 0");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("jparallel trainer: " + e + "; usage: java -cp JARS " + ClassSharingTrainer.class.getName()
                    + " [" + EXIT_WHEN_STDIN_CLOSES + "] [" + TLS + "] [" + TIME_LIMIT_MS + " MILLIS]");
            System.exit(EXIT_USAGE);
            return;
        }
        // as WorkerMain starts (see there), so that the archive has the classes of a worker's start
        NettyDefaults.apply();
        SelectorProviderDefault.apply();
        WorkerLogs.startRecording();
        WorkerWarmUp.start();
        WorkerLogs.defer();
        daemon("jparallel-trainer-limit", new TimeLimit(limitMillis));
        if (watchInput) {
            daemon("jparallel-stdin-watch", new InputWatch());
        }
        loadWorkerMain();
        int code = train(tls);
        if (hold && code == EXIT_OK) {
            System.err.println(HOLDING);
            try {
                new CountDownLatch(1).await(); // until standard input closes or the time limit passes
            } catch (InterruptedException e) {
                code = EXIT_FAILED;
            }
        }
        exit(code);
    }

    /**
     * Loads the classes of {@link WorkerMain} that the training does not run (its logger's holder, its watch of
     * standard input), without initialising them: the archive has them for a worker's start.
     */
    private static void loadWorkerMain() {
        for (String name : List.of("WorkerMain", "WorkerMain$Log", "WorkerMain$1")) {
            try {
                Class.forName(WorkerMain.class.getPackageName() + "." + name, false,
                        ClassSharingTrainer.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // another compiler's names: only the archive misses it
            }
        }
    }

    /** Runs the training; never throws. */
    private static int train(boolean tls) {
        InternalLogger log = Log.LOG;
        long start = System.nanoTime();
        try {
            Path dir = makeTemporary();
            log.info("training the workers' class sharing archive: a manager and {} workers in this JVM; the failed "
                    + "and interrupted tasks logged below are made on purpose", WORKER_SLOTS.size());
            TrainingWorkers workers = new TrainingWorkers(WORKER_SLOTS);
            Manager manager = Manager.builder()
                    .noJournal()
                    .bindAddress("127.0.0.1")
                    .host("127.0.0.1")
                    .port(0)
                    .statusPort(-1)
                    .outputPattern(dir.resolve("worker%d-port%p.output").toString())
                    .replaceLostWorkers(0)
                    .tls(tls)
                    .heartbeatInterval(Duration.ofMillis(100)) // a worker's heartbeats, both ways, within the run
                    .build();
            try {
                manager.addWorker(workers);
                TrainingTasks.run(manager);
            } finally {
                manager.close();
            }
            if (!workers.awaitEnd(WORKERS_END_MILLIS)) {
                log.warn("the training workers did not end within {} ms of the manager's close", WORKERS_END_MILLIS);
                return EXIT_FAILED;
            }
            WorkerLogs.setUp(); // as a worker does before it exits
            log.info("trained in {} ms (workers' exit codes {})", (System.nanoTime() - start) / 1_000_000,
                    workers.exitCodes());
            return EXIT_OK;
        } catch (Exception | Error e) {
            log.error("the class sharing training failed", e);
            return EXIT_FAILED;
        }
    }

    /** Deletes the temporary directory, then exits; the JVM writes the archive on its way out. */
    static void exit(int code) {
        deleteTemporary();
        System.exit(code);
    }

    /**
     * Deletes the temporary directory and ends the JVM at once: no shutdown hook runs (the manager's would give its
     * workers seconds to end). The JVM still writes the archive, which the code tells the starter not to use.
     */
    static void halt(int code) {
        deleteTemporary();
        Runtime.getRuntime().halt(code);
    }

    /** @return a fresh temporary directory, deleted at the exit */
    private static Path makeTemporary() throws IOException {
        synchronized (TEMPORARY_LOCK) {
            if (ending) {
                throw new IOException("the trainer is exiting");
            }
            temporary = Files.createTempDirectory("jparallel-trainer-");
            return temporary;
        }
    }

    private static void deleteTemporary() {
        Path dir;
        synchronized (TEMPORARY_LOCK) {
            ending = true;
            dir = temporary;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("jparallel trainer: could not delete " + dir + ": " + e);
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Ends the trainer when its time is up: it must never hang the start of the workers it trains for. */
    private static final class TimeLimit implements Runnable {
        private final long millis;

        TimeLimit(long millis) {
            this.millis = millis;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("jparallel trainer: not done within " + millis + " ms; exiting. Its threads:");
            for (var e : Thread.getAllStackTraces().entrySet()) {
                System.err.println("\"" + e.getKey().getName() + "\" " + e.getKey().getState());
                for (StackTraceElement frame : e.getValue()) {
                    System.err.println("    at " + frame);
                }
            }
            // the lines logged so far, unless their set-up is what hangs
            Thread flush = new Thread(new Runnable() {
                @Override
                public void run() {
                    WorkerLogs.setUp();
                }
            }, "jparallel-trainer-log-flush");
            flush.setDaemon(true);
            flush.start();
            try {
                flush.join(2_000);
            } catch (InterruptedException e) {
                // exit all the same
            }
            halt(EXIT_TIMED_OUT);
        }
    }

    /** Ends the trainer when its standard input ends: the manager that started it is gone. */
    private static final class InputWatch implements Runnable {
        /** The JVM's standard input, taken before the training workers stand in for it as they parse their options. */
        private final InputStream input = System.in;

        @Override
        public void run() {
            try {
                byte[] buf = new byte[256];
                while (input.read(buf) >= 0) {
                    // nothing is expected on standard input; wait for its end
                }
            } catch (IOException e) {
                // an input that fails has ended too
            }
            System.err.println("jparallel trainer: standard input closed: the manager that started it is gone; exiting");
            halt(EXIT_STARTER_GONE);
        }
    }

    /** The logger, made on first use: after {@link WorkerLogs#defer}, so that Netty's logger factory is set first. */
    private static final class Log {
        static final InternalLogger LOG = WorkerLogs.logger(ClassSharingTrainer.class);
    }
}
