package org.jparallel.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.spi.LaunchSpec;

/**
 * The checks of one worker group that depend on its backend: the java command of local workers,
 * {@code qsub}/{@code qstat}/{@code qdel} or {@code sbatch}/{@code squeue}/{@code scancel} on the
 * PATH, DRMAA when Grid Engine submits through it, and the SSH hosts ({@link SshChecks}).
 */
final class BackendChecks {
    private BackendChecks() {
    }

    static List<CheckResult> forGroup(ResolvedConfig.Group g, ManagerSettings settings) {
        List<CheckResult> out = new ArrayList<>();
        switch (g.backend().name()) {
            case "local" -> out.add(localJava(g, settings));
            case "sge" -> {
                if (Boolean.parseBoolean(Doctor.value(g, "dry-run"))) {
                    out.add(CheckResult.warn("sge commands (group " + g.name() + ")", Doctor.key(g, "dry-run")
                            + "=true: nothing will be submitted", "set " + Doctor.key(g, "dry-run") + "=false to run workers"));
                    break;
                }
                boolean drmaa = "drmaa".equalsIgnoreCase(Doctor.value(g, "submit"));
                List<String> commands = drmaa ? List.of("qstat", "qdel") : List.of("qsub", "qstat", "qdel");
                commands.forEach(c -> out.add(command(g, c, "Grid Engine")));
                if (drmaa) {
                    out.add(drmaa(g));
                }
            }
            case "slurm" -> List.of("sbatch", "squeue", "scancel").forEach(c -> {
                if (c.equals("sbatch") || Doctor.declares(g, c)) {
                    out.add(command(g, c, "Slurm"));
                }
            });
            case "ssh" -> out.addAll(SshChecks.forGroup(g));
            default -> out.add(CheckResult.skip("backend " + g.backend().name() + " (group " + g.name() + ")",
                    "no backend-specific checks; the probe worker tests it"));
        }
        return out;
    }

    private static CheckResult localJava(ResolvedConfig.Group g, ManagerSettings settings) {
        String own = Doctor.value(g, "java");
        String java = own != null ? own : settings.javaCommand() != null ? settings.javaCommand()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String key = own != null ? Doctor.key(g, "java") : "jparallel.worker.java";
        String name = "java command (group " + g.name() + ")";
        String found = find(LaunchSpec.splitWords(java).get(0));
        return found != null ? CheckResult.ok(name, java + (found.equals(java) ? "" : " (" + found + ")"))
                : CheckResult.fail(name, "cannot run \"" + java + "\": not found or not executable",
                "set " + key + " to the java command of this machine, e.g. " + Path.of(System.getProperty("java.home"),
                "bin", "java"));
    }

    private static CheckResult command(ResolvedConfig.Group g, String command, String system) {
        String configured = Doctor.declares(g, command) ? Doctor.value(g, command) : null;
        String cmd = configured != null ? configured : command;
        String name = command + " (group " + g.name() + ")";
        String first = LaunchSpec.splitWords(cmd).isEmpty() ? cmd : LaunchSpec.splitWords(cmd).get(0);
        String found = find(first);
        if (found != null) {
            return CheckResult.ok(name, found);
        }
        String key = Doctor.declares(g, command) ? Doctor.key(g, command) : null;
        return CheckResult.fail(name, "\"" + first + "\" is not " + (first.contains("/") ? "an executable file"
                        : "on the PATH (" + System.getenv().getOrDefault("PATH", "") + ")"),
                "put " + system + "'s bin directory on the PATH of the manager" + (key != null
                        ? ", or set " + key + " to the full path of " + command : ""));
    }

    /** @return the executable's path, or {@code null} when it is not found */
    static String find(String command) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command)) && !Files.isDirectory(Path.of(command)) ? command : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static final String DRMAA_FIX = "put the cluster's drmaa.jar on the classpath (JPARALLEL_CLASSPATH=/usr/share/java/"
            + "drmaa.jar for scripts/jparallel; elsewhere $SGE_ROOT/lib/drmaa.jar) and libdrmaa on the library path "
            + "(LD_LIBRARY_PATH=/usr/lib/gridengine-drmaa/lib, or $SGE_ROOT/lib/<arch>), with SGE_ROOT and SGE_CELL set; "
            + "if loading fails with \"cannot allocate memory in static TLS block\", set "
            + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096. Or set " + "jparallel.sge.submit=qsub";

    /** Loads the DRMAA classes, makes a session and opens it (which loads libdrmaa and contacts the qmaster). */
    private static CheckResult drmaa(ResolvedConfig.Group g) {
        String name = "DRMAA (group " + g.name() + ", " + Doctor.key(g, "submit") + "=drmaa)";
        Class<?> factory;
        try {
            factory = Class.forName("org.ggf.drmaa.SessionFactory");
        } catch (ClassNotFoundException | LinkageError e) {
            return CheckResult.fail(name, "the org.ggf.drmaa classes are not on the classpath", DRMAA_FIX);
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
            return CheckResult.ok(name, "library loaded and session opened: " + f.get(30, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            return CheckResult.fail(name, "opening a DRMAA session did not finish within 30 s",
                    "check that qstat answers (the qmaster is up) and that SGE_ROOT and SGE_CELL are set");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(name, "interrupted", "");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.lang.reflect.InvocationTargetException && c.getCause() != null) {
                c = c.getCause();
            }
            String why = c.toString();
            // an Error (no implementation, a native library that does not load) is set-up; a DrmaaException is the cluster
            boolean setup = c instanceof Error || why.toLowerCase(Locale.ROOT).contains("libdrmaa");
            return CheckResult.fail(name, "DRMAA could not open a session: " + why, setup ? DRMAA_FIX
                    : "check that qstat answers (the qmaster is up) and that SGE_ROOT and SGE_CELL are set");
        } finally {
            thread.shutdownNow();
        }
    }
}
