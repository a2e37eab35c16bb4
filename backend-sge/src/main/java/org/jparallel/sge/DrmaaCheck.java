package org.jparallel.sge;

import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.spi.DoctorCheck;

/**
 * The {@code jparallel doctor} check of a group that submits through DRMAA: loads the DRMAA classes
 * (by reflection, since drmaa.jar is the cluster's), makes a session and opens it, which loads libdrmaa
 * and contacts the qmaster; a failure says which of the set-up steps to do.
 */
final class DrmaaCheck implements DoctorCheck {
    private static final String FIX = "put the cluster's drmaa.jar on the classpath (JPARALLEL_CLASSPATH=/usr/share/java/"
            + "drmaa.jar for scripts/jparallel; elsewhere $SGE_ROOT/lib/drmaa.jar) and libdrmaa on the library path "
            + "(LD_LIBRARY_PATH=/usr/lib/gridengine-drmaa/lib, or $SGE_ROOT/lib/<arch>), with SGE_ROOT and SGE_CELL set; "
            + "if loading fails with \"cannot allocate memory in static TLS block\", set "
            + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096. Or set " + "jparallel.sge.submit=qsub";
    private static final String CLUSTER_FIX =
            "check that qstat answers (the qmaster is up) and that SGE_ROOT and SGE_CELL are set";

    @Override
    public String name() {
        return "DRMAA";
    }

    @Override
    public Result run() {
        Class<?> factory;
        try {
            factory = Class.forName("org.ggf.drmaa.SessionFactory");
        } catch (ClassNotFoundException | LinkageError e) {
            return Result.fail("the org.ggf.drmaa classes are not on the classpath", FIX);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jparallel-doctor-drmaa");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<String> f = thread.submit(() -> {
                Object session = factory.getMethod("getSession").invoke(factory.getMethod("getFactory").invoke(null));
                session.getClass().getMethod("init", String.class).invoke(session, "");
                try {
                    return session.getClass().getMethod("getDrmSystem").invoke(session) + ", contact "
                            + session.getClass().getMethod("getContact").invoke(session);
                } finally {
                    session.getClass().getMethod("exit").invoke(session);
                }
            });
            return Result.ok("library loaded and session opened: " + f.get(30, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            return Result.fail("opening a DRMAA session did not finish within 30 s", CLUSTER_FIX);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.fail("interrupted", "");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.lang.reflect.InvocationTargetException && c.getCause() != null) {
                c = c.getCause();
            }
            String why = c.toString();
            // an Error (no implementation, a native library that does not load) is set-up; a DrmaaException is the cluster
            boolean setup = c instanceof Error || why.toLowerCase(Locale.ROOT).contains("libdrmaa");
            return Result.fail("DRMAA could not open a session: " + why, setup ? FIX : CLUSTER_FIX);
        } finally {
            thread.shutdownNow();
        }
    }
}
