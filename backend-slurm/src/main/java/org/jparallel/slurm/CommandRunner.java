package org.jparallel.slurm;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.LaunchSpec;

/**
 * Runs Slurm's command-line tools ({@code sbatch}, {@code squeue}, {@code scancel}, {@code sacct}) and
 * captures what they print. An interface of one method so tests can replace the cluster with captured
 * output.
 */
public interface CommandRunner {

    /**
     * The outcome of one command.
     *
     * @param exitCode the exit code, or -1 when it did not finish in time
     * @param stdout what it printed on standard output
     * @param stderr what it printed on standard error
     */
    record Result(int exitCode, String stdout, String stderr) {
        /** @return standard output and error joined, trimmed, for messages */
        public String both() {
            String o = stdout.strip();
            String e = stderr.strip();
            return o.isEmpty() ? e : e.isEmpty() ? o : o + "\n" + e;
        }
    }

    /**
     * Runs a command to its end, with standard input from {@code /dev/null}.
     *
     * @param command the words of the command; the first is resolved on the PATH
     * @param timeoutMillis how long it may take; it is killed after that
     * @return what it did
     * @throws IOException when it cannot be started
     */
    Result run(List<String> command, long timeoutMillis) throws IOException;

    /** @return the runner that starts real processes */
    static CommandRunner system() {
        return SystemCommandRunner.INSTANCE;
    }

    /**
     * Finds an executable the way a shell would.
     *
     * @param command a name or a path
     * @param key the configuration key that sets this command, named in the error
     * @return the absolute path of the executable
     * @throws IllegalStateException naming the PATH searched and the key, when there is none
     */
    static String resolve(String command, String key) {
        if (command.contains("/")) {
            if (Files.isExecutable(Path.of(command))) {
                return command;
            }
            throw new IllegalStateException("Slurm command " + command + " does not exist or is not executable"
                    + " (set it with jparallel.slurm." + key + ")");
        }
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>();
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                    Path p = Path.of(d, command);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
        }
        throw new IllegalStateException("Slurm command \"" + command + "\" is not on the PATH (searched "
                + (dirs.isEmpty() ? "nothing: PATH is empty" : String.join(File.pathSeparator, dirs))
                + "); install the Slurm client (Debian: slurm-client) or set the command with jparallel.slurm." + key
                + " (SlurmOptions." + key + "Command in code)");
    }
}

/**
 * Starts real processes. Output goes to temporary files read after the process ends (Slurm's tools
 * print little). The secret's environment variable is removed, so even a manager that inherited it
 * never exports it into a job ({@code sbatch} copies its environment into the job by default).
 */
final class SystemCommandRunner implements CommandRunner {
    static final SystemCommandRunner INSTANCE = new SystemCommandRunner();

    private SystemCommandRunner() {
    }

    @Override
    public Result run(List<String> command, long timeoutMillis) throws IOException {
        Path out = Files.createTempFile("jparallel-slurm", ".out");
        Path err = Files.createTempFile("jparallel-slurm", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove(LaunchSpec.SECRET_ENV);
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command.get(0), e);
            }
            if (!done) {
                p.destroyForcibly();
            }
            return new Result(done ? p.exitValue() : -1, read(out), read(err)
                    + (done ? "" : "\n(killed after " + timeoutMillis + " ms)"));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
