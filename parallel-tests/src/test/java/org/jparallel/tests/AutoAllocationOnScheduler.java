package org.jparallel.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The automatic-allocation scenarios ({@link AutoAllocationScenarios}) on a real batch scheduler, from a
 * properties file. A subclass names the scheduler, its backend and the lines only that backend needs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AutoAllocationOnScheduler extends OnRealScheduler {
    private final RealScheduler scheduler;
    private final String backend;

    protected AutoAllocationOnScheduler(RealScheduler scheduler, String backend) {
        super(scheduler);
        this.scheduler = scheduler;
        this.backend = backend;
    }

    /** @return the backend's own lines besides its job name and secret directory (none by default) */
    protected List<String> ownLines() {
        return List.of();
    }

    private Path properties(String name, int maxPending) throws Exception {
        List<String> lines = new ArrayList<>(List.of("jparallel.backend=" + backend,
                "jparallel." + backend + ".job-name=" + name,
                "jparallel." + backend + ".secret-dir=" + tempDir.resolve("secrets")));
        lines.addAll(ownLines());
        return AutoAllocationScenarios.properties(tempDir, maxPending, lines);
    }

    @Test
    void fromZeroToFourUnderABacklogThenNoJobLeftAfterTheIdleTimeout() throws Exception {
        String name = SchedulerCommands.uniqueName("jp-alloc");
        AutoAllocationScenarios.scalesUpFromZeroAndLeavesNoJobAfterTheIdleTimeout(properties(name, 4),
                () -> scheduler.jobsNamed(name));
    }

    @Test
    void burstsNeverSubmitMoreThanThePendingLimit() throws Exception {
        String name = SchedulerCommands.uniqueName("jp-burst");
        AutoAllocationScenarios.burstsNeverExceedThePendingLimit(properties(name, 2));
    }

    @Test
    void aDryRunShowsTheDecisionsAndSubmitsNothing() throws Exception {
        String name = SchedulerCommands.uniqueName("jp-adry");
        Path f = properties(name, 4);
        Files.writeString(f, "jparallel." + backend + ".dry-run=true\n", StandardOpenOption.APPEND);
        AutoAllocationScenarios.dryRunShowsTheDecisionsAndSubmitsNothing(f, () -> scheduler.jobsNamed(name));
    }
}
