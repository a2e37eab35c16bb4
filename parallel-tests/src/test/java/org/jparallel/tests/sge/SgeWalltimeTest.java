package org.jparallel.tests.sge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.DrainScenario;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.WalltimeAllocationScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Grid Engine: qsub array workers whose jobs ask for {@code h_rt=20} are told
 * so, drained 5 s before their end and replaced by new jobs; every task declared to fit runs once. With
 * automatic allocation, issue 21's acceptance at full size ({@link WalltimeAllocationScenario}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeWalltimeTest extends OnRealScheduler {
    SgeWalltimeTest() {
        super(SgeCell.CELL);
    }

    @Test
    void workersWithAHardRunTimeAreDrainedBeforeItAndReplacedAndNoTaskIsLost() throws Exception {
        String name = SgeCell.uniqueName("jp-sgedrain");
        DrainScenario events = new DrainScenario();
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).drainMargin(Duration.ofSeconds(5)).replaceLostWorkers(20)
                .listener(events).build()) {
            manager.addWorker(new SgeQsubWorkerArray(2, new SgeOptions().jobName(name).resources("h_rt=20")
                    .secretDir(tempDir.resolve("secrets"))));
            events.runAndCheck(manager, "no worker was lost (none reached its h_rt)");
        }
        SgeCell.awaitNoJob(name, 30);
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void twoHundredTasksOnAllocatedWorkersWithA20sWalltimeAreNeverKilledAndEachDrainedWorkerIsReplacedFirst()
            throws Exception {
        String name = SgeCell.uniqueName("jp-awall");
        // alloc.walltime=20s is qsub -l h_rt=0:00:20: Grid Engine kills a worker that is not drained in time.
        // pe "smp 1": one core per job whatever the worker's slots (its tasks sleep), so that a worker and
        // its replacements run at once on the cell's 4 slots
        WalltimeAllocationScenario.run(WalltimeAllocationScenario.properties(tempDir, List.of("jparallel.backend=sge",
                "jparallel.sge.job-name=" + name, "jparallel.sge.pe=smp 1",
                "jparallel.sge.secret-dir=" + tempDir.resolve("secrets"))));
        SgeCell.awaitNoJob(name, 30);
    }
}
