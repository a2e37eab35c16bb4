package org.jparallel.tests.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.ProcessWorkerHandle;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

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

    /** One worker process: the SPI's process handle (status from the process, output from its file). */
    static final class Handle extends ProcessWorkerHandle {
        private Handle(int id, Process process, Path output, String failure) {
            super(id, process, failure, output, 2_000);
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
        public String description() {
            return "netns worker " + workerId() + (process() == null ? " (not started)" : " (pid " + process().pid() + ")");
        }
    }
}
