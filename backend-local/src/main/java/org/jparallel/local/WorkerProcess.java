package org.jparallel.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of one local worker process: its output file made or truncated, its command run in the group's
 * working directory and environment, the run's secret written to its standard input (then closed), and its
 * handle; a worker that cannot start gets a FAILED handle whose reason is also in its output file, so the output
 * tail quotes it.
 */
final class WorkerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    private final WorkerEnvironment environment;
    private final Path workingDirectory;

    /**
     * @param environment the group's changes to the workers' environment
     * @param workingDirectory the workers' working directory, or {@code null} for the manager's
     */
    WorkerProcess(WorkerEnvironment environment, Path workingDirectory) {
        this.environment = environment;
        this.workingDirectory = workingDirectory;
    }

    /**
     * @param command a command to run as the workers run: in their working directory, with their environment
     * @return its process builder, its redirections to set
     */
    ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        environment.applyTo(pb.environment());
        return pb;
    }

    /**
     * Starts one worker process, its output to its output file.
     *
     * @param spec the worker's spec, its class sharing options included
     * @param id the worker's id
     * @param archiveWriter the writing of the class data sharing archive when this worker does it, else null
     * @return its handle, FAILED when it could not start
     */
    WorkerHandle start(LaunchSpec spec, int id, ClassSharing.Writer archiveWriter) {
        Path output = spec.outputFile(id).toAbsolutePath();
        try {
            Path parent = output.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(output, new byte[0]); // create or truncate, so a stale tail is never reported
        } catch (IOException | RuntimeException e) {
            String reason = "cannot write output file " + output + ": " + e
                    + " (set the output pattern with LocalWorker.output or jparallel.local.output)";
            LOG.warn("local worker {}: {}", id, reason);
            return LocalProcessHandle.failed(id, output, reason);
        }
        if (workingDirectory != null && !Files.isDirectory(workingDirectory)) {
            return fail(id, output, "working directory " + workingDirectory.toAbsolutePath() + " does not exist"
                    + " (set it with LocalWorker.workingDirectory or jparallel.local.directory)");
        }
        List<String> command;
        try {
            command = spec.commandLine(id, true, LocalWorker.SECRET_ARG);
        } catch (IllegalArgumentException e) {
            return fail(id, output, "bad java command: " + e.getMessage());
        }
        ProcessBuilder pb = builder(command)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()))
                // one descriptor for both: two opens of the file would overwrite each other's lines
                .redirectErrorStream(true);
        LOG.debug("starting local worker {}: {}", id, command);
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            return fail(id, output, "cannot run \"" + command.get(0) + "\": " + reason(e)
                    + " (set the java command with LocalWorker.javaCommand or jparallel.local.java)");
        }
        handOverSecret(process, spec.secretText(), id);
        LOG.debug("started local worker {} (pid {}), output in {}", id, process.pid(), output);
        if (archiveWriter != null) {
            // it lists the classes it loads: once it has ended, the archive is made of them
            return new LocalProcessHandle(id, process, output, archiveWriter::finish);
        }
        return new LocalProcessHandle(id, process, output);
    }

    /**
     * Writes the secret as the first line of the worker's standard input and closes it (the worker
     * reads no more input). A process that has already ended cannot take it: its exit code and output
     * tell why, so this failure is only logged.
     */
    private static void handOverSecret(Process process, String secretText, int id) {
        try (OutputStream in = process.getOutputStream()) {
            in.write((secretText + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.debug("local worker {}: cannot write the secret to its standard input: {}", id, e.toString());
        }
    }

    /** Makes a FAILED handle and writes its reason to the output file, so the output tail quotes it. */
    private static WorkerHandle fail(int id, Path output, String reason) {
        LOG.warn("local worker {} did not start: {}", id, reason);
        try {
            Files.writeString(output, reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.debug("local worker {}: cannot write {}: {}", id, output, e.toString());
        }
        return LocalProcessHandle.failed(id, output, reason);
    }

    /** @return the useful part of ProcessBuilder's message, e.g. {@code No such file or directory} */
    private static String reason(Exception e) {
        String msg = e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage() : String.valueOf(e.getMessage());
        // the OS's words alone: Java 17 says "error=2, No such file or directory", Java 25 (through
        // jspawnhelper) "Exec failed, error: 2 (No such file or directory) "
        return msg.replaceFirst("^error=\\d+, ", "").replaceFirst("^Exec failed, error: \\d+ \\((.*)\\)\\s*$", "$1");
    }
}
