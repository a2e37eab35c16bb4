package org.jparallel.tests.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/**
 * Workers started inside the {@link ProbeNetwork} namespace with {@code ip netns exec}, through the
 * public SPI only. They are "remote" workers (not on the manager's machine as far as the network
 * goes), so they get {@link LaunchSpec#managerAddresses(boolean) managerAddresses(false)}, which a
 * test may narrow or reorder before the command line is made.
 */
final class NamespaceWorkerGroup implements WorkerGroup {
    private final UnaryOperator<List<String>> addresses;
    final List<List<String>> offered = new CopyOnWriteArrayList<>();

    /** @param addresses turns the addresses the core offers into those the worker is given */
    NamespaceWorkerGroup(UnaryOperator<List<String>> addresses) {
        this.addresses = addresses;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public String backendName() {
        return "netns-test";
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) {
        List<WorkerHandle> handles = new ArrayList<>();
        for (int id : spec.workerIds()) {
            List<String> core = spec.managerAddresses(false);
            offered.add(core);
            List<String> command = new ArrayList<>(spec.commandLine(id, false));
            command.set(command.indexOf("--connect") + 1, String.join(",", addresses.apply(core)));
            handles.add(Handle.start(id, ProbeNetwork.inNamespace(command), spec));
        }
        return handles;
    }

    /** One worker process: status from the process, output from its file. */
    static final class Handle implements WorkerHandle {
        private final int id;
        private final Process process;
        private final Path output;
        private final String failure;

        private Handle(int id, Process process, Path output, String failure) {
            this.id = id;
            this.process = process;
            this.output = output;
            this.failure = failure;
        }

        static Handle start(int id, List<String> command, LaunchSpec spec) {
            Path output = spec.outputFile(id).toAbsolutePath();
            try {
                Files.createDirectories(output.getParent());
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
                pb.environment().putAll(spec.secretEnvironment());
                Process p = pb.start();
                p.getOutputStream().close();
                return new Handle(id, p, output, null);
            } catch (IOException | RuntimeException e) {
                return new Handle(id, null, output, "cannot start " + command + ": " + e);
            }
        }

        @Override
        public int workerId() {
            return id;
        }

        @Override
        public String description() {
            return "netns worker " + id + (process == null ? " (not started)" : " (pid " + process.pid() + ")");
        }

        @Override
        public WorkerStatus status() {
            if (process == null) {
                return WorkerStatus.failed(failure);
            }
            return process.isAlive() ? WorkerStatus.running() : WorkerStatus.exited(process.exitValue());
        }

        @Override
        public String outputTail(int maxLines) {
            try {
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }

        @Override
        public String logLocation() {
            return output.toString();
        }

        @Override
        public void stop() {
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
