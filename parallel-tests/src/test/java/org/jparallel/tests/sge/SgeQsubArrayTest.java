package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.HundredTasks;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A 4-task qsub array job on the real Grid Engine cell runs 100 tasks with a setup. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SgeQsubArrayTest extends OnRealScheduler {
    SgeQsubArrayTest() {
        super(SgeCell.CELL);
    }

    @Test
    void fourWorkerArrayRunsHundredTasksWithSetupAndLeavesNoJob() throws Exception {
        String name = SgeCell.uniqueName("jp-qsub");
        List<Integer> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Manager manager = Manager.builder()
                .outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60))
                .build()) {
            manager.addWorker(new SgeQsubWorkerArray(4, new SgeOptions().jobName(name)
                    .secretDir(tempDir.resolve("secrets"))));
            List<Integer> results = HundredTasks.runWithSetup(manager);
            System.out.printf("SGE qsub: 100 tasks on a 4-task array in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(IntStream.range(1000, 1100).boxed().collect(Collectors.toList()), results);
            // 100 small tasks may all be done before the last array task has started: wait for it
            for (WorkerInfo w : TestSupport.awaitConnected(manager, 4, Duration.ofSeconds(30))) {
                ids.add(w.id());
            }
            assertEquals(4, ids.size(), manager.workers().toString());
            for (int id : ids) {
                Path out = tempDir.resolve("worker" + id + ".output");
                assertTrue(Files.isRegularFile(out), "output file " + out + " missing");
            }
        }
        // qdel takes about a second; the jobs may be listed as "dr" for a moment
        long ms = SgeCell.awaitNoJob(name, 20);
        System.out.printf("SGE qsub: qstat lists no job of the run %d ms after close%n", ms);
        assertTrue(Files.notExists(tempDir.resolve("secrets")) || Files.list(tempDir.resolve("secrets")).findAny().isEmpty(),
                "the run's secret directory is deleted at close");
    }

    @Test
    void aWorkerSubmittedWithAHardRunTimeLearnsItsEndAndReportsIt() throws Exception {
        String name = SgeCell.uniqueName("jp-hrt");
        try (Manager manager = Manager.builder()
                .outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60))
                .build()) {
            manager.addWorker(new SgeQsubWorkerArray(1, new SgeOptions().jobName(name).resources("h_rt=0:5:0")
                    .secretDir(tempDir.resolve("secrets"))));
            Context<Void, Integer> ctx = manager.getContext();
            assertEquals(1, ctx.addTask(s -> 1).get(60, TimeUnit.SECONDS));
            WorkerInfo w = manager.workers().stream().filter(i -> i.state() == WorkerInfo.State.CONNECTED)
                    .findFirst().orElseThrow(() -> new AssertionError(manager.workers().toString()));
            Duration left = w.remainingLifetime();
            assertTrue(left != null && left.compareTo(Duration.ofMinutes(5)) <= 0
                    && left.compareTo(Duration.ofMinutes(4)) > 0, "time left within the 5 min h_rt: " + left);
        }
        SgeCell.awaitNoJob(name, 20);
    }
}
