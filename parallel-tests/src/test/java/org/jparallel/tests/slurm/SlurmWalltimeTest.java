package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Slurm: workers whose lifetime (20 s, shorter than the job's 5 min limit) ends
 * are drained before their end and replaced by new jobs, and every task declared to fit runs once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlurmWalltimeTest extends OnRealScheduler {
    SlurmWalltimeTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void workersAreDrainedBeforeTheirEndAndReplacedAndNoTaskIsLost() throws Exception {
        String name = SlurmCluster.uniqueName("jp-drain");
        Path props = tempDir.resolve("jparallel.properties");
        Files.write(props, List.of("jparallel.backend=slurm", "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.manager.replace-lost-workers=20",
                "jparallel.worker.lifetime=20s",
                "jparallel.worker.drain-margin=5s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.slurm.job-name=" + name,
                "jparallel.slurm.partition=debug",
                "jparallel.slurm.time=5",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
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
        try (Manager manager = Manager.fromProperties(props)) {
            manager.addListener(events);
            Context<Void, Integer> ctx = manager.getContext();
            ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(java.time.Duration.ofSeconds(2)));
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
            assertEquals(List.of(), lost, "no worker was lost");
            assertTrue(drained.size() >= 1, "workers were drained: " + manager.workers());
            assertTrue(manager.workers().size() > 2, "replacement jobs were submitted: " + manager.workers());
        }
        SlurmCluster.awaitNoJob(name, 30);
    }
}
