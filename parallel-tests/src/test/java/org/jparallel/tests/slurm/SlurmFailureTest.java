package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.slurm.SlurmOptions;
import org.jparallel.slurm.SlurmWorkerArray;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Jobs that cannot run fail with a clear error well within the start timeout, and leave no job behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlurmFailureTest extends OnRealScheduler {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);

    SlurmFailureTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void unknownPartitionFailsAtSubmitWithSbatchsMessage() throws Exception {
        String name = SlurmCluster.uniqueName("jp-part");
        List<WorkerInfo> ws = failedWorkers(name, new SlurmOptions().jobName(name).partition("no-such-partition"));
        for (WorkerInfo w : ws) {
            assertTrue(w.detail().contains("sbatch failed with exit code 1: sbatch: error: invalid partition specified:"
                    + " no-such-partition"), w.detail());
            assertTrue(w.detail().contains("--partition=no-such-partition"), "detail shows the command: " + w.detail());
        }
        assertEquals(List.of(), SlurmCluster.jobsNamed(name));
    }

    @Test
    void heldJobFailsWithItsReasonAndIsCancelled() throws Exception {
        String name = SlurmCluster.uniqueName("jp-held");
        List<WorkerInfo> ws = failedWorkers(name, new SlurmOptions().jobName(name).extraOptions("--hold"));
        for (WorkerInfo w : ws) {
            assertTrue(w.detail().matches("(?s)Slurm job \\d+_" + w.id() + " \\(" + name
                    + "\\) is PENDING with reason JobHeldUser: it is held.*"), w.detail());
        }
        long ms = SlurmCluster.awaitNoJob(name, 20);
        System.out.printf("Slurm held: squeue lists no job of the run %d ms after close%n", ms);
    }

    /** Adds a 2-worker array, waits until both workers have FAILED, closes; @return the workers */
    private List<WorkerInfo> failedWorkers(String name, SlurmOptions options) throws Exception {
        long t0 = System.nanoTime();
        List<WorkerInfo> ws;
        try (Manager manager = Manager.builder()
                .outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(START_TIMEOUT)
                .build()) {
            manager.addWorker(new SlurmWorkerArray(2, options.secretDir(tempDir.resolve("secrets"))));
            do {
                assertTrue(System.nanoTime() - t0 < START_TIMEOUT.toNanos(), "no failure within the start timeout: "
                        + manager.workers());
                Thread.sleep(50);
                ws = manager.workers();
            } while (ws.size() < 2 || ws.stream().anyMatch(w -> w.state() != WorkerInfo.State.FAILED));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("Slurm %s: both workers FAILED %d ms after addWorker (start timeout %d s): %s%n", name, ms,
                    START_TIMEOUT.toSeconds(), ws.get(0).detail().lines().findFirst().orElse(""));
            assertTrue(ms < 15_000, "took " + ms + " ms");
            for (WorkerInfo w : ws) {
                assertNotNull(w.detail());
            }
        }
        SlurmCluster.awaitNoJob(name, 20);
        return ws;
    }
}
