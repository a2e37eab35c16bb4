package org.jparallel.cli.run;

import java.nio.file.Path;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.core.config.PropertiesConfig;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.core.manager.ConfiguredGroups;
import org.jparallel.local.LocalWorker;

/**
 * Makes the manager of a run: the workers a properties file configures (any backend), or local ones, with the
 * command line's settings over the file's.
 */
final class RunManagers {
    private RunManagers() {
    }

    /**
     * @param config a properties file, or {@code null} for local workers
     * @param workerOutput where local workers (without a file) write their output; {@code null} with a file
     * @param localWorkers how many local workers without a file ({@code null}: one per core)
     * @param retries the task retry budget, or {@code null} for the configuration's
     * @param statusPort the status page's port, or {@code null} for the configuration's
     * @param journal the run's journal: its file (over the configuration's), whether to start afresh, its identity
     * @return the manager, its workers starting
     * @throws ConfigurationException when the journal is another run's
     */
    static Manager create(Path config, Path workerOutput, Integer localWorkers, Integer retries, Integer statusPort,
            Journaling journal) {
        if (config == null) {
            ManagerBuilder b = Manager.builder().outputPattern(workerOutput.resolve("worker%d.output").toString());
            overrides(b, retries, statusPort);
            Manager manager = build(b, journal.apply(b, null), journal);
            manager.addWorker(new LocalWorker(localWorkers != null ? localWorkers
                    : Runtime.getRuntime().availableProcessors()));
            return manager;
        }
        ResolvedConfig rc = PropertiesConfig.load(config);
        ConfiguredGroups groups = ConfiguredGroups.make(rc); // before the manager: a rejected group starts nothing
        ManagerBuilder b = Manager.builder().from(rc.settings());
        overrides(b, retries, statusPort);
        Manager manager = build(b, journal.apply(b, rc.settings().journal() == null ? null
                : rc.settings().journal().file()), journal);
        groups.addTo(manager);
        return manager;
    }

    private static Manager build(ManagerBuilder b, Path journalFile, Journaling journal) {
        try {
            return b.build();
        } catch (IllegalStateException e) {
            String owner = Journaling.owner(journalFile, journal.identity());
            if (owner == null) {
                throw e;
            }
            throw new ConfigurationException("jparallel run: the journal " + journalFile + " is of another run ('"
                    + owner + "'), not of this one ('" + journal.identity() + "'). Run the same command again (or give"
                    + " the same --name) to resume it, give another --journal file, or add --fresh to discard its"
                    + " results and start afresh.");
        }
    }

    private static void overrides(ManagerBuilder b, Integer retries, Integer statusPort) {
        if (retries != null) {
            b.taskRetries(retries);
        }
        if (statusPort != null) {
            b.statusPort(statusPort);
        }
    }
}
