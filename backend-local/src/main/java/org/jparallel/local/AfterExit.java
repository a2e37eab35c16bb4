package org.jparallel.local;

import java.util.concurrent.Executor;

/**
 * Where the step after a local process's exit runs (a class data sharing archive's writing: about a second, a
 * dumping JVM waited for): on a daemon thread of its own, not on the thread that completes {@link
 * Process#onExit()}, which is often one of the common fork-join pool's and would stall the program's parallel
 * streams and futures meanwhile.
 */
final class AfterExit {
    /** Runs each step on a new daemon thread. */
    static final Executor THREAD = step -> {
        Thread t = new Thread(step, "jparallel-class-sharing-archive");
        t.setDaemon(true);
        t.start();
    };

    private AfterExit() {
    }
}
