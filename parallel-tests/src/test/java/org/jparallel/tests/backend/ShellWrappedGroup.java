package org.jparallel.tests.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

/** The workers of one {@code shellwrapped} group: one {@code /bin/sh} per worker, which execs the worker JVM. */
final class ShellWrappedGroup implements WorkerGroup {
    /** The shell script: replace the shell by the command given as its arguments. */
    static final String EXEC_SCRIPT = "exec \"$0\" \"$@\"";

    private final int count;
    private final String marker;

    ShellWrappedGroup(int count, String marker) {
        if (count < 1) {
            throw new IllegalArgumentException("shellwrapped group needs at least 1 worker, got " + count);
        }
        this.count = count;
        this.marker = marker;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String backendName() {
        return ShellWrappedBackend.NAME;
    }

    @Override
    public boolean runsOnManagerHost() {
        return true;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) {
        LaunchSpec s = spec;
        if (marker != null) {
            List<String> options = new ArrayList<>(spec.jvmOptions());
            options.add("-D" + ShellWrappedBackend.MARKER_PROPERTY + "=" + marker);
            s = spec.withJvmOptions(options);
        }
        List<WorkerHandle> handles = new ArrayList<>();
        for (int id : s.workerIds()) {
            handles.add(startOne(s, id));
        }
        return handles;
    }

    private static WorkerHandle startOne(LaunchSpec spec, int id) {
        Path output = spec.outputFile(id).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", EXEC_SCRIPT));
        try {
            if (output.getParent() != null) {
                Files.createDirectories(output.getParent());
            }
            command.addAll(spec.commandLine(id, true));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
            pb.environment().putAll(spec.secretEnvironment());
            Process p = pb.start();
            p.getOutputStream().close();
            return new ShellWrappedHandle(id, p, output, null);
        } catch (IOException | RuntimeException e) {
            return new ShellWrappedHandle(id, null, output, "cannot start " + command + ": " + e);
        }
    }
}
