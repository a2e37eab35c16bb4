package org.jparallel.core.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.jparallel.Manager;
import org.jparallel.spi.ClassSharingTraining;
import org.jparallel.spi.LaunchSpec;

/**
 * The main class of a short-lived JVM that has a real worker process list the classes of the local workers' class
 * data sharing archive ({@code -XX:DumpLoadedClassList}), when their classpath also holds directories (an IDE's or
 * Maven's {@code target/classes}): the group's first worker would list the task's classes from the directories too,
 * which an archive cannot hold, while an archive of the jars serves a worker whose classpath has the directories
 * after them. The local backend writes the archive of the list once this JVM has ended. It starts it with the jars
 * of the workers' classpath only, and no JVM option of the user's.
 *
 * <p>It runs a manager without journal, status page or configuration file (nothing the user set for their own
 * managers is read), on an ephemeral loopback port, and one worker ({@link TrainingWorker}): a {@link WorkerMain}
 * process with the workers' JVM options and task slots, this JVM's classpath and {@code -XX:DumpLoadedClassList}
 * the list, its output in this JVM's. The worker runs a few thousand tasks of every kind users send ({@link
 * TrainingTasks}); then the manager closes and the worker exits: the list so holds what a worker loads and nothing
 * of the manager's. It writes no other file: the manager's output pattern and the tasks' marker
 * files are in a temporary directory, deleted at the end.
 *
 * <p>Arguments: {@value #CLASS_LIST_TO} {@code FILE} (required) where the worker lists the classes it loads;
 * {@value #WORKER_SLOTS} {@code N} the worker's task slots (default 1); {@value #WORKER_JVM_OPTION} {@code OPT}, as
 * often as needed, one JVM option of the worker's each; {@value #EXIT_WHEN_STDIN_CLOSES} exits (code {@value
 * #EXIT_STARTER_GONE}) as soon as standard input ends, which is how the manager that started it going away shows;
 * without it standard input is not read. {@value #TLS} runs the manager with TLS (the worker then loads three times
 * the classes). {@value #TIME_LIMIT_MS} {@code N} bounds the whole run (default {@value #DEFAULT_TIME_LIMIT_MS} ms;
 * exit code {@value #EXIT_TIMED_OUT}). {@value #HOLD}, for tests, keeps the trainer and its worker running once the
 * tasks ran, before the manager's close, until one of those ends it, saying {@value #HOLDING} on standard error.
 *
 * <p>Exit codes: 0 trained (the worker exited 0 after the manager's close and the list exists); 1 the training
 * failed (logged); 2 bad arguments; {@value #EXIT_STARTER_GONE} standard input closed; {@value #EXIT_TIMED_OUT} the
 * time limit passed. In the last two the worker is killed first; in every case no process of its is left.
 */
public final class ClassSharingTrainer {
    /** The argument that makes the end of standard input end the trainer. */
    public static final String EXIT_WHEN_STDIN_CLOSES = ClassSharingTraining.EXIT_WHEN_STDIN_CLOSES;
    /** The argument that has the trainer's manager run TLS, as the manager the archive is for does. */
    public static final String TLS = ClassSharingTraining.TLS;
    /** The argument naming the file where the worker lists the classes it loads. */
    public static final String CLASS_LIST_TO = ClassSharingTraining.CLASS_LIST_TO;
    /** The argument giving the worker's task slots. */
    public static final String WORKER_SLOTS = ClassSharingTraining.WORKER_SLOTS;
    /** The argument giving one JVM option of the worker's. */
    public static final String WORKER_JVM_OPTION = ClassSharingTraining.WORKER_JVM_OPTION;
    /** The argument that bounds the trainer's run, in milliseconds. */
    static final String TIME_LIMIT_MS = "--time-limit-ms";
    /** The argument that holds the trainer and its worker after the tasks (tests). */
    static final String HOLD = "--hold";
    /** What {@value #HOLD} says on standard error once the tasks ran. */
    static final String HOLDING = "jparallel trainer: trained, holding";
    /** The default of {@value #TIME_LIMIT_MS}. */
    static final long DEFAULT_TIME_LIMIT_MS = 60_000;
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_STARTER_GONE = WorkerMain.EXIT_STARTER_GONE;
    static final int EXIT_TIMED_OUT = 6;
    /** How long the worker is given to end once the manager closed. */
    static final long WORKER_END_MILLIS = 10_000;

    /** Guards {@link #temporary}, {@link #worker} and {@link #ending}. */
    private static final Object LOCK = new Object();
    /** The temporary directory, deleted at any exit; {@code null} before it exists. */
    private static Path temporary;
    /** The worker, killed at an exit cut short; {@code null} before it exists. */
    private static TrainingWorker worker;
    /** Set once the exit has begun: no temporary directory or worker is made after. */
    private static boolean ending;

    private ClassSharingTrainer() {
    }

    /** What the arguments ask for. */
    private record Arguments(boolean watchInput, boolean hold, boolean tls, long limitMillis, Path classList,
                             String slots, List<String> workerOptions) {
        static Arguments parse(String[] args) {
            boolean watchInput = false;
            boolean hold = false;
            boolean tls = false;
            long limitMillis = DEFAULT_TIME_LIMIT_MS;
            Path classList = null;
            String slots = "1";
            List<String> options = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case EXIT_WHEN_STDIN_CLOSES -> watchInput = true;
                    case HOLD -> hold = true;
                    case TLS -> tls = true;
                    case CLASS_LIST_TO -> classList = Path.of(value(args, ++i));
                    case WORKER_SLOTS -> slots = LaunchSpec.checkSlots(value(args, ++i));
                    case WORKER_JVM_OPTION -> options.add(value(args, ++i));
                    case TIME_LIMIT_MS -> {
                        limitMillis = Long.parseLong(value(args, ++i));
                        if (limitMillis <= 0) {
                            throw new IllegalArgumentException(TIME_LIMIT_MS + " needs a number of milliseconds above 0");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (classList == null) {
                throw new IllegalArgumentException(CLASS_LIST_TO + " is required");
            }
            return new Arguments(watchInput, hold, tls, limitMillis, classList, slots, options);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    /** @param args see the class comment */
    public static void main(String[] args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (RuntimeException e) {
            System.err.println("jparallel trainer: " + e.getMessage() + "; usage: java -cp JARS "
                    + ClassSharingTrainer.class.getName() + " " + CLASS_LIST_TO + " FILE [" + WORKER_SLOTS + " N] ["
                    + WORKER_JVM_OPTION + " OPTION]... [" + EXIT_WHEN_STDIN_CLOSES + "] [" + TLS + "] ["
                    + TIME_LIMIT_MS + " MILLIS]");
            System.exit(EXIT_USAGE);
            return;
        }
        daemon("jparallel-trainer-limit", new TimeLimit(a.limitMillis()));
        if (a.watchInput()) {
            daemon("jparallel-stdin-watch", new InputWatch());
        }
        // a SIGTERM ends the worker too
        Runtime.getRuntime().addShutdownHook(new Thread(ClassSharingTrainer::destroyWorker, "jparallel-trainer-exit"));
        exit(new Training(a).run());
    }

    /** @return a fresh temporary directory, deleted at the exit */
    static Path makeTemporary() throws IOException {
        synchronized (LOCK) {
            if (ending) {
                throw new IOException("the trainer is exiting");
            }
            temporary = Files.createTempDirectory("jparallel-trainer-");
            return temporary;
        }
    }

    /** Makes the worker group, killed at an exit cut short. */
    static TrainingWorker makeWorker(List<String> jvmOptions, String slots, IntConsumer onExit) throws IOException {
        synchronized (LOCK) {
            if (ending) {
                throw new IOException("the trainer is exiting");
            }
            worker = new TrainingWorker(jvmOptions, System.getProperty("java.class.path"), slots,
                    ProcessBuilder.Redirect.INHERIT, WORKER_END_MILLIS, onExit);
            return worker;
        }
    }

    /** Kills the worker, deletes the temporary directory, then exits. */
    static void exit(int code) {
        destroyWorker();
        deleteTemporary();
        System.exit(code);
    }

    /**
     * Kills the worker, deletes the temporary directory and ends the JVM at once: no shutdown hook runs (the
     * manager's would give its worker seconds to end).
     */
    static void halt(int code) {
        destroyWorker();
        deleteTemporary();
        Runtime.getRuntime().halt(code);
    }

    private static void destroyWorker() {
        TrainingWorker w;
        synchronized (LOCK) {
            ending = true;
            w = worker;
        }
        if (w != null) {
            w.destroy();
        }
    }

    private static void deleteTemporary() {
        Path dir;
        synchronized (LOCK) {
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

    /** One training: the manager, its worker, the tasks, the worker's end. */
    private static final class Training {
        private final Arguments a;
        /** Set before the manager closes: the worker's exit from then on is expected. */
        private volatile boolean closing;

        Training(Arguments a) {
            this.a = a;
        }

        /** @return the exit code; never throws */
        int run() {
            long start = System.nanoTime();
            try {
                Path dir = makeTemporary();
                Files.deleteIfExists(a.classList()); // a list there after the exit is this worker's
                List<String> options = new ArrayList<>(a.workerOptions());
                options.add("-XX:DumpLoadedClassList=" + a.classList());
                TrainingWorker w = makeWorker(options, a.slots(), this::workerExited);
                System.err.println("jparallel trainer: listing the workers' classes in " + a.classList()
                        + " with a worker process; the failed and interrupted tasks it logs are made on purpose");
                Manager manager = Manager.builder()
                        .noJournal()
                        .bindAddress("127.0.0.1")
                        .host("127.0.0.1")
                        .port(0)
                        .statusPort(-1)
                        .outputPattern(dir.resolve("worker%d-port%p.output").toString())
                        .replaceLostWorkers(0)
                        .tls(a.tls())
                        .workerSlots(a.slots())
                        .heartbeatInterval(Duration.ofMillis(100)) // a worker's heartbeats, both ways, within the run
                        .build();
                try {
                    manager.addWorker(w);
                    TrainingTasks.run(manager, dir);
                    if (a.hold()) {
                        System.err.println(HOLDING);
                        new CountDownLatch(1).await(); // until standard input closes or the time limit passes
                    }
                } finally {
                    closing = true;
                    manager.close();
                }
                int code = w.awaitExit(WORKER_END_MILLIS);
                if (code != 0) {
                    System.err.println("jparallel trainer: its worker exited with code " + code + " after the close");
                    return EXIT_FAILED;
                }
                if (!Files.isRegularFile(a.classList())) {
                    System.err.println("jparallel trainer: its worker wrote no class list " + a.classList());
                    return EXIT_FAILED;
                }
                System.err.println("jparallel trainer: trained in " + (System.nanoTime() - start) / 1_000_000
                        + " ms; the class list has " + Files.size(a.classList()) + " bytes");
                return EXIT_OK;
            } catch (Exception | Error e) {
                System.err.println("jparallel trainer: the class sharing training failed: " + e);
                e.printStackTrace();
                return EXIT_FAILED;
            }
        }

        /** A worker that ends before the manager closes fails the training at once, instead of at the tasks' waits. */
        private void workerExited(int code) {
            boolean exiting;
            synchronized (LOCK) {
                exiting = ending; // killed by the exit of a time limit or a closed input, which tells its own code
            }
            if (!closing && !exiting) {
                System.err.println("jparallel trainer: its worker exited with code " + code
                        + " before the training ended");
                halt(EXIT_FAILED);
            }
        }
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
            halt(EXIT_TIMED_OUT);
        }
    }

    /** Ends the trainer when its standard input ends: the manager that started it is gone. */
    private static final class InputWatch implements Runnable {
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
}
