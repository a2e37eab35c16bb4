package org.jparallel.core.worker;

import io.netty.util.internal.logging.InternalLogger;
import org.jparallel.core.worker.startup.NettyDefaults;
import org.jparallel.core.worker.startup.ProcessId;
import org.jparallel.core.worker.startup.SelectorProviderDefault;
import org.jparallel.core.worker.startup.WorkerLogs;
import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.jparallel.spi.LaunchSpec;

/**
 * The main class of every worker JVM, whatever backend started it: connects to the manager,
 * authenticates, runs setups and tasks, and exits when told to, when the manager is gone, or when
 * no manager answers within the connect timeout. See {@link WorkerOptions} for the arguments.
 *
 * <p>Exit codes: 0 the session ended; 2 bad arguments or secret; 3 the manager and the worker refused
 * each other (a REJECT, a peer without the secret, or a TLS certificate other than the pinned one:
 * not retried); 4 no manager reached within the connect timeout; 5 the session that started the
 * worker (its standard input) ended.
 */
public final class WorkerMain {
    /** Exit code when the session that started the worker (its standard input) ended. */
    static final int EXIT_STARTER_GONE = org.jparallel.spi.ClassSharingTraining.EXIT_STARTER_GONE;

    private WorkerMain() {
    }

    /**
     * @param args {@code --connect HOST:PORT[,...] [--id N] [--secret-file F | --secret-stdin | --secret-stdin-once]}
     */
    public static void main(String[] args) {
        NettyDefaults.apply(); // before any Netty class loads
        SelectorProviderDefault.apply(); // before the warm-up's and the connection's socket channels
        // SLF4J's set-up (which opens every jar of the classpath) waits until the first result is out;
        // the worker's and Netty's messages until then are recorded and replayed (WorkerLogs), the warm-up's too
        WorkerLogs.startRecording();
        // next: its socket step bootstraps the JVM's first lambda (milliseconds), which the connection waits for
        WorkerWarmUp.start();
        WorkerLogs.defer();
        WorkerOptions options;
        try {
            options = WorkerOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            // A worker's output file is where users look first; say it there even without a logger.
            System.err.println("jparallel worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.slots() > 1) {
            // tasks run beside each other: a set-up between one slot's tasks could meet another slot's task
            // asking SLF4J for its first logger, which SLF4J answers with a stand-in that can drop lines
            WorkerLogs.setUp();
        }
        if (java.util.Arrays.asList(args).contains(WorkerOptions.SECRET_STDIN)) {
            watchStandardInput();
        }
        if (WorkerOptions.secretFromEnvironment(args)) {
            warnSecretInEnvironment(options.workerId());
        }
        Log.LOG.info("jparallel worker {} (pid {}) connecting to {}", options.workerId(), ProcessId.get(),
                options.addresses());
        int code = new WorkerClient(options).run();
        WorkerLogs.setUp();
        Log.LOG.info("worker {} exiting with code {}", options.workerId(), code);
        System.exit(code);
    }

    /**
     * A JVM cannot remove a variable from its own environment, and every process a task starts
     * inherits it: say so, where a user who started the worker by hand (id 0) can avoid it with
     * {@code --secret-file} or {@code --secret-stdin}.
     */
    private static void warnSecretInEnvironment(int workerId) {
        String line = "the secret came from the environment variable {}, which every process a task starts "
                + "inherits; to keep it out of them, give it with --secret-file FILE (mode 0600) or --secret-stdin";
        if (workerId == 0) {
            Log.LOG.warn(line, LaunchSpec.SECRET_ENV);
        } else {
            Log.LOG.info(line, LaunchSpec.SECRET_ENV);
        }
    }

    /**
     * A worker that took its secret from standard input was started by something that holds that
     * input open (an SSH session): when it closes, the starter is gone, so the worker exits rather
     * than live on unattended.
     */
    private static void watchStandardInput() {
        // a class, not a lambda: made on the main thread before the connect (see WorkerWarmUp)
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    byte[] buf = new byte[256];
                    while (System.in.read(buf) >= 0) {
                        // nothing more is expected on standard input; wait for its end
                    }
                } catch (java.io.IOException e) {
                    Log.LOG.debug("standard input failed: {}", e.toString());
                }
                Log.LOG.warn("standard input closed: the session that started this worker is gone; exiting");
                System.exit(EXIT_STARTER_GONE);
            }
        }, "jparallel-stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    /** The logger, made on first use: after {@link WorkerLogs#defer}, so that Netty's logger factory is set first. */
    private static final class Log {
        static final InternalLogger LOG = WorkerLogs.logger(WorkerMain.class);
    }
}
