package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.DrainScenario;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.TestSupport;
import org.jparallel.tests.WalltimeAllocationScenario;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Grid Engine: qsub array workers whose jobs ask for an {@code h_rt} are told
 * so, drained 5 s before their end and replaced by new jobs; every task declared to fit runs once. With
 * automatic allocation, issue 21's acceptance at full size ({@link WalltimeAllocationScenario}). A worker
 * that Grid Engine kills at its {@code h_rt} with a task running past its estimate costs that task no
 * lost-worker attempt.
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
                .startTimeout(Duration.ofSeconds(60)).drainMargin(Duration.ofSeconds(DrainScenario.MARGIN_S))
                .replaceLostWorkers(20)
                .listener(events).build()) {
            manager.addWorker(new SgeQsubWorkerArray(2, new SgeOptions().jobName(name)
                    .resources("h_rt=" + DrainScenario.LIFETIME_S)
                    .secretDir(tempDir.resolve("secrets"))));
            events.runAndCheck(manager, "no worker was lost (none reached its h_rt)");
        }
        SgeCell.awaitNoJob(name, 30);
    }

    @Test
    void aWorkerKilledByGridEngineAtItsHardRunTimeWithATaskRunningCostsTheTaskNoLostAttempt() throws Exception {
        String name = SgeCell.uniqueName("jp-sgekill");
        String dir = tempDir.toString();
        // one lost attempt allowed: were Grid Engine's kill charged, the task would fail. h_rt=12 (below the drain
        // scenario's): the worker need only connect (a second or two) and take the task before its drain starts 7 s
        // into the job, and the test waits out the h_rt (with 20 it took 22 s)
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).drainMargin(Duration.ofSeconds(5)).maxLostAttempts(1)
                .replaceLostWorkers(4).build()) {
            manager.addWorker(new SgeQsubWorkerArray(1, new SgeOptions().jobName(name).resources("h_rt=12")
                    .secretDir(tempDir.resolve("secrets"))));
            TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            // declared 1 s, it sleeps 120 s on its first run: its worker drains, holding it, until h_rt ends the job
            TaskFuture<Long> f = ctx.addTask(s -> org.jparallel.tests.WorkerSide.sleepOnFirstRun(dir, "long", 120_000),
                    TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            long rerun = f.get(100, TimeUnit.SECONDS);
            List<String> starts = TestSupport.lines(tempDir.resolve("long.starts"));
            assertEquals(2, starts.size(), "it ran twice: " + starts);
            long victim = Long.parseLong(starts.get(0).split(" ")[0]);
            assertNotEquals(victim, rerun, "the task ran again on another worker: " + starts);
        }
        SgeCell.awaitNoJob(name, 30);
    }

    @Test
    @Tag("scale")
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
