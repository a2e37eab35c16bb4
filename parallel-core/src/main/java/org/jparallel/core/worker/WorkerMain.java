package org.jparallel.core.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of every worker JVM, whatever backend started it: connects to the manager,
 * authenticates, runs setups and tasks, and exits when told to, when the manager is gone, or when
 * no manager answers within the connect timeout. See {@link WorkerOptions} for the arguments.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    /**
     * @param args {@code --connect HOST:PORT[,...] [--id N] [--secret-file F | --secret-stdin]}
     */
    public static void main(String[] args) {
        WorkerOptions options;
        try {
            options = WorkerOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            // A worker's output file is where users look first; say it there even without a logger.
            System.err.println("jparallel worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("jparallel worker {} (pid {}) connecting to {}", options.workerId(), ProcessHandle.current().pid(),
                options.addresses());
        int code = new WorkerClient(options).run();
        LOG.info("worker {} exiting with code {}", options.workerId(), code);
        System.exit(code);
    }
}
