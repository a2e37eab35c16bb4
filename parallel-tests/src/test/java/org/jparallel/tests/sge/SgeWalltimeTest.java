package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Grid Engine: qsub array workers whose jobs ask for {@code h_rt=20} are told
 * so, drained 5 s before their end and replaced by new jobs; every task declared to fit runs once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeWalltimeTest extends OnRealScheduler {
    SgeWalltimeTest() {
        super(SgeCell.CELL);
    }

    @Test
    void workersWithAHardRunTimeAreDrainedBeforeItAndReplacedAndNoTaskIsLost() throws Exception {
        String name = SgeCell.uniqueName("jp-sgedrain");
        List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
        List<WorkerInfo> drained = new CopyOnWriteArrayList<>();
        ProgressListener events = new ProgressListener() {
            @Override
            public void workerLost(WorkerInfo worker) {
                lost.add(worker);
            }

            @Override
            public void workerDrained(WorkerInfo worker) {
                drained.add(worker);
            }
        };
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).drainMargin(Duration.ofSeconds(5)).replaceLostWorkers(20)
                .listener(events).build()) {
            manager.addWorker(new SgeQsubWorkerArray(2, new SgeOptions().jobName(name).resources("h_rt=20")
                    .secretDir(tempDir.resolve("secrets"))));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(Duration.ofSeconds(2)));
            for (int i = 0; i < 30; i++) {
                int k = i;
                ctx.addTask(s -> {
                    Thread.sleep(1000 + (k % 3) * 300);
                    return k;
                });
            }
            List<Integer> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            Collections.sort(results);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add(i);
            }
            assertEquals(expected, results, "every result, once");
            assertEquals(List.of(), lost, "no worker was lost (none reached its h_rt)");
            assertTrue(drained.size() >= 1, "workers were drained: " + manager.workers());
            assertTrue(manager.workers().size() > 2, "replacement jobs were submitted: " + manager.workers());
        }
        SgeCell.awaitNoJob(name, 30);
    }
}
