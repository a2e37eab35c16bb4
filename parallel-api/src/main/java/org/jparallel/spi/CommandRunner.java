package org.jparallel.spi;

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

/**
 * Runs a scheduler's command-line tools ({@code qsub}, {@code sbatch}, {@code squeue}, ...) and captures
 * what they print: every batch-scheduler backend needs this. An interface of one method, so a backend's
 * tests can replace the cluster with captured output.
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
     * Runs a command to its end.
     *
     * @param command the words of the command
     * @param stdin text for its standard input, or {@code null} for none ({@code /dev/null})
     * @param timeoutMillis how long it may take; it is killed after that
     * @return what it did
     * @throws IOException when it cannot be started
     */
    Result run(List<String> command, String stdin, long timeoutMillis) throws IOException;

    /**
     * @return the runner that starts real processes. The run's secret variable ({@link
     *     LaunchSpec#SECRET_ENV}) is removed from their environment, so a scheduler that copies its
     *     environment into jobs (as {@code sbatch} does by default) never exports it.
     */
    static CommandRunner system() {
        return SystemCommandRunner.INSTANCE;
    }

    /**
     * Finds an executable the way a shell would.
     *
     * @param command a name or a path
     * @param product what provides it, for the message, e.g. {@code Grid Engine}
     * @param key the configuration key that sets this command, e.g. {@code jparallel.sge.qsub}
     * @param hint what else to say, e.g. how to install the client or set the command in code
     * @return the absolute path of the executable
     * @throws IllegalStateException naming the PATH searched and the key, when there is none
     */
    static String resolve(String command, String product, String key, String hint) {
        if (command.contains("/")) {
            if (Files.isExecutable(Path.of(command))) {
                return command;
            }
            throw new IllegalStateException(product + " command " + command + " does not exist or is not executable"
                    + " (set it with " + key + ")");
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
        throw new IllegalStateException(product + " command \"" + command + "\" is not on the PATH (searched "
                + (dirs.isEmpty() ? "nothing: PATH is empty" : String.join(File.pathSeparator, dirs))
                + "); " + hint + " or set the command with " + key);
    }
}

/** Starts real processes; output goes to temporary files read after the process ends (the tools print little). */
final class SystemCommandRunner implements CommandRunner {
    static final SystemCommandRunner INSTANCE = new SystemCommandRunner();

    private SystemCommandRunner() {
    }

    @Override
    public Result run(List<String> command, String stdin, long timeoutMillis) throws IOException {
        Path out = Files.createTempFile("jparallel-cmd", ".out");
        Path err = Files.createTempFile("jparallel-cmd", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove(LaunchSpec.SECRET_ENV);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
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
