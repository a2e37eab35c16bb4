package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.slurm.SlurmOptions;
import org.jparallel.slurm.SlurmWorkerArray;
import org.jparallel.tests.HundredTasks;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A 4-task sbatch array on the real single-node Slurm runs 100 tasks with a setup and leaves no job behind. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlurmArrayTest extends OnRealScheduler {
    SlurmArrayTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void fourWorkerArrayRunsHundredTasksWithSetupAndLeavesNoJob() throws Exception {
        String name = SlurmCluster.uniqueName("jp-array");
        long t0 = System.nanoTime();
        try (Manager manager = Manager.builder()
                .outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60))
                .build()) {
            manager.addWorker(new SlurmWorkerArray(4, new SlurmOptions().jobName(name).time("10")
                    .secretDir(tempDir.resolve("secrets"))));
            List<Integer> results = HundredTasks.runWithSetup(manager);
            System.out.printf("Slurm: 100 tasks on a 4-task array in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(IntStream.range(1000, 1100).boxed().collect(Collectors.toList()), results);
            // 100 small tasks may all be done before the last array task has started: wait for it
            List<WorkerInfo> ws = TestSupport.awaitConnected(manager, 4, Duration.ofSeconds(30));
            assertEquals(4, ws.size(), ws.toString());
            assertEquals(4, SlurmCluster.jobsNamed(name).size(), "four array tasks run: " + SlurmCluster.jobsNamed(name));
            for (WorkerInfo w : ws) {
                Path out = tempDir.resolve("worker" + w.id() + ".output");
                assertTrue(Files.isRegularFile(out), "output file " + out + " missing");
                assertTrue(Files.readString(out).contains("jparallel: worker " + w.id() + " in Slurm job "),
                        Files.readString(out));
            }
        }
        long ms = SlurmCluster.awaitNoJob(name, 20);
        System.out.printf("Slurm: squeue lists no job of the run %d ms after close%n", ms);
        assertTrue(Files.notExists(tempDir.resolve("secrets")) || Files.list(tempDir.resolve("secrets")).findAny().isEmpty(),
                "the run's secret directory is deleted at close");
    }
}
