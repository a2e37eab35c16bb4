package org.jparallel.core.manager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jparallel.ManagerSettings;
import org.jparallel.core.journal.WorkerIdRecord;
import org.jparallel.core.worker.WorkerMain;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;

/**
 * Starts a manager's workers: hands out their ids, remembers which group each belongs to (to replace it like for
 * like), writes the launch spec every backend gets (command, addresses, credentials) and passes it to the
 * {@link WorkerLauncher}. Ids come from the same counter as those of workers started by hand; with a journal they
 * continue past those its earlier runs handed out ({@link WorkerIdRecord}), so that no worker's output file is named
 * as an earlier run's.
 */
final class WorkerStarts {
    private final ManagerSettings settings;
    private final RunCredentials credentials;
    private final IntSupplier port;
    private final List<String> remoteHosts = AddressFinder.nonLoopbackAddresses();
    private final WorkerIdRecord idRecord;
    private final AtomicInteger nextWorkerId;
    private final Map<Integer, WorkerGroup> groups = new ConcurrentHashMap<>();
    private final AvailableWorkers available;
    private volatile ManagerCommands commands;
    private volatile WorkerLauncher launcher;
    private volatile int started;

    /**
     * @param idRecord the ids the journal's earlier runs handed out, where this run's are recorded
     * @param port the manager's listening port, asked once its server listens
     */
    WorkerStarts(ManagerSettings settings, RunCredentials credentials, WorkerIdRecord idRecord, IntSupplier port,
            AvailableWorkers available) {
        this.settings = settings;
        this.credentials = credentials;
        this.idRecord = idRecord;
        this.nextWorkerId = new AtomicInteger(idRecord.firstId());
        this.port = port;
        this.available = available;
    }

    /** Connects the starts to the manager's loop and launcher, made after the dispatcher that takes ids from here. */
    void wire(ManagerCommands commands, WorkerLauncher launcher) {
        this.commands = commands;
        this.launcher = launcher;
        // recorded before a backend starts them (a kill -9 from then on cannot lose their ids), off the loop
        // past the start's ids and those given meanwhile to workers started by hand (WorkerRoster)
        launcher.beforeEachStart(next -> idRecord.handedOutBelow(Math.max(next, nextWorkerId.get())));
    }

    /** @return a fresh worker id */
    int newWorkerId() {
        return nextWorkerId.getAndIncrement();
    }

    /** @return the id the next worker started (or started by hand) will have; ids only increase */
    int nextWorkerId() {
        return nextWorkerId.get();
    }

    /** @return the group a worker this manager started belongs to, or {@code null} */
    WorkerGroup groupOf(int workerId) {
        return groups.get(workerId);
    }

    /** @return how many workers this manager started */
    int started() {
        return started;
    }

    /** Starts {@code n} workers of a group. */
    List<Integer> start(WorkerGroup workers, int n) {
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = newWorkerId();
            ids.add(id);
            groups.put(id, workers);
        }
        available.starting(n);
        started += n;
        LaunchSpec spec = launchSpec(ids).withLifetime(settings.workerLifetime()).withWalltime(workers.walltime())
                .withSlots(settings.workerSlots());
        String slots = workers.slots() != null ? workers.slots() : settings.workerSlots();
        commands.workersAdded(ids, workers.backendName(), spec.lifetime(),
                slots == null ? 1 : slots.matches("[0-9]{1,4}") ? Integer.parseInt(slots) : 0);
        launcher.launch(workers, spec);
        return ids;
    }

    private LaunchSpec launchSpec(List<Integer> ids) {
        String java = settings.javaCommand() != null ? settings.javaCommand()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = settings.classpath() != null ? settings.classpath() : System.getProperty("java.class.path");
        return new LaunchSpec(ids, java, settings.jvmOptions(), cp, WorkerMain.class.getName(), settings.host(),
                port.getAsInt(), remoteHosts, credentials.forWorkers(), settings.outputPattern());
    }
}
