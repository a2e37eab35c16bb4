package org.jparallel.sge;

import org.jparallel.spi.ShellWords;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits and terminates array jobs through the cluster's DRMAA library: {@code runBulkJobs},
 * {@code control(TERMINATE)}, and {@code exit()} once no submitted task is left (and at JVM exit).
 * One DRMAA session per process, owned by one thread: every call runs on the {@code jparallel-drmaa}
 * thread. jparallel compiles against the {@code org.ggf.drmaa} API only; the implementation (the
 * cluster's {@code drmaa.jar}, which loads {@code libdrmaa}) is found at run time by
 * {@code SessionFactory.getFactory()}. The DRMAA types are touched only by {@link DrmaaSession}, so this
 * class loads, and reports what is missing, without them.
 */
final class DrmaaSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(DrmaaSubmitter.class);
    /** DRMAA's bulk job index placeholder ({@code JobTemplate.PARAMETRIC_INDEX}). */
    static final String INDEX_PLACEHOLDER = "$drmaa_incr_ph$";
    private static final long CALL_TIMEOUT_S = 60;
    private static DrmaaSubmitter instance;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jparallel-drmaa");
        t.setDaemon(true);
        return t;
    });
    private DrmaaSession session; // only touched on the thread
    private int live;              // submitted tasks not terminated yet; only touched on the thread

    private DrmaaSubmitter() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                call(() -> {
                    exitSession();
                    return null;
                }, 10);
            } catch (Exception e) {
                LOG.debug("DRMAA exit at JVM exit: {}", e.toString());
            }
        }, "jparallel-drmaa-exit"));
    }

    /**
     * @return the process's submitter
     * @throws IllegalStateException naming the jar and the library when DRMAA is not available
     */
    static synchronized DrmaaSubmitter get() {
        try {
            Class.forName("org.ggf.drmaa.SessionFactory");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(missing("the org.ggf.drmaa classes are not on the classpath"), e);
        }
        if (instance == null) {
            instance = new DrmaaSubmitter();
        }
        return instance;
    }

    /** @return an error message naming what DRMAA needs at run time */
    static String missing(String cause) {
        return "DRMAA is not available (" + cause + "). jparallel.sge.submit=drmaa needs the cluster's DRMAA"
                + " jar on the manager's classpath (Debian: /usr/share/java/drmaa.jar from libdrmaa1.0-java;"
                + " elsewhere $SGE_ROOT/lib/drmaa.jar) and its native library libdrmaa on the library path"
                + " (Debian: LD_LIBRARY_PATH=/usr/lib/gridengine-drmaa/lib with a libdrmaa.so link beside"
                + " libdrmaa.so.1.0; elsewhere $SGE_ROOT/lib/<arch>, or -Djava.library.path=...), with SGE_ROOT and"
                + " SGE_CELL set. If loading fails with \"cannot allocate memory in static TLS block\", set"
                + " GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096. Or use jparallel.sge.submit=qsub";
    }

    /**
     * Submits tasks {@code first..last} of one bulk job running {@code /bin/sh script}.
     *
     * @return the DRMAA job id of each task ({@code JOB.TASK}), in order
     */
    List<String> submitArray(Path script, List<String> nativeOptions, String jobName, String outputPath,
                              Path workingDirectory, int first, int last) {
        return call(() -> {
            if (session == null) {
                session = DrmaaSession.open();
            }
            List<String> ids = session.runBulk(script.toString(), ShellWords.join(nativeOptions),
                    jobName, outputPath, workingDirectory.toString(), first, last);
            live += ids.size();
            return ids;
        }, CALL_TIMEOUT_S);
    }

    /** Terminates tasks (queued or running); exits the session once none is left. Never throws. */
    void terminate(List<String> tasks) {
        try {
            call(() -> {
                for (String t : tasks) {
                    if (session != null) {
                        session.terminate(t);
                    }
                }
                live -= tasks.size();
                if (live <= 0) {
                    exitSession();
                }
                return null;
            }, CALL_TIMEOUT_S);
        } catch (RuntimeException e) {
            LOG.warn("DRMAA could not terminate {}: {}", tasks, e.getMessage());
        }
    }

    private void exitSession() {
        if (session != null) {
            session.exit();
            session = null;
            live = 0;
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> c, long timeoutSeconds) {
        Future<T> f = thread.submit(c);
        try {
            return f.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for DRMAA", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("DRMAA failed: " + cause, cause);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("DRMAA did not answer within " + timeoutSeconds + " s", e);
        }
    }
}
