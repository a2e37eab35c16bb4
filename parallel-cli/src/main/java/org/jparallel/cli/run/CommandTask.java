package org.jparallel.cli.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jparallel.Task;
import org.jparallel.spi.ProcessTrees;

/**
 * A task that runs one command as a process on its worker and returns its exit code and output. A non-zero exit
 * code throws {@link CommandFailedException}. When the task is interrupted (its time limit, a cancellation, the
 * worker stopping) or the worker's JVM shuts down, the process and all its descendants are killed; when the
 * worker's JVM is killed outright, {@link OrphanGuard} kills them.
 *
 * @param key the task's stable key
 * @param command the program and its arguments, placeholders already replaced
 * @param env variables added to the worker's environment
 * @param workdir the working directory
 * @param maxOutputBytes how much of each of standard output and error is kept
 */
public record CommandTask(String key, List<String> command, Map<String, String> env, String workdir,
                          int maxOutputBytes) implements Task<Object, CommandOutput> {
    private static final long serialVersionUID = 1L;
    /** A worker's environment variable that must not reach the processes its tasks start. */
    static final String SECRET_VARIABLE = "JPARALLEL_SECRET";
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> ProcessTrees.kill(p.toHandle(), 0, 0)),
                "jparallel-kill-commands"));
    }

    @Override
    public CommandOutput run(Object setup) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(OrphanGuard.wrap(command)).directory(new File(workdir))
                .redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '/' ? "/dev/null" : "NUL")));
        pb.environment().remove(SECRET_VARIABLE);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + " in " + workdir + ": " + e.getMessage(), e);
        }
        RUNNING.add(p);
        OutputCapture out = new OutputCapture(maxOutputBytes);
        OutputCapture err = new OutputCapture(maxOutputBytes);
        Thread outReader = reader(p.getInputStream(), out, "out");
        Thread errReader = reader(p.getErrorStream(), err, "err");
        try {
            int code = p.waitFor();
            // a background child may hold the pipes open after the command exits: do not wait for it forever
            outReader.join(2000);
            errReader.join(2000);
            CommandOutput o = new CommandOutput(key, code, out.bytes(), out.dropped(), err.bytes(), err.dropped(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            if (code != 0) {
                throw new CommandFailedException(o);
            }
            return o;
        } catch (InterruptedException e) {
            ProcessTrees.kill(p.toHandle(), 1000, 0);
            throw e;
        } finally {
            RUNNING.remove(p);
            if (p.isAlive()) {
                ProcessTrees.kill(p.toHandle(), 0, 0);
            }
        }
    }

    private Thread reader(InputStream in, OutputCapture into, String which) {
        Thread t = new Thread(() -> {
            try (in) {
                into.drain(in);
            } catch (IOException e) {
                // the process was killed or its pipe closed
            }
        }, "jparallel-task-" + key + "-" + which);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
