package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.slurm.SlurmOptions;
import org.jparallel.slurm.SlurmWorkerArray;
import org.jparallel.tests.WorkerSide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task slots on the real Slurm: a 2-slot worker's job asks for 2 cpus (--cpus-per-task=2) and runs 2 tasks at once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlurmSlotsTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void cellUp() {
        SlurmCluster.requireUp();
    }

    @Test
    void aTwoSlotWorkerIsSubmittedForTwoCpusPerTaskAndRunsTwoTasksAtOnce() throws Exception {
        String name = SlurmCluster.uniqueName("jp-slurmslots");
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new SlurmWorkerArray(1, new SlurmOptions().jobName(name).slots("2")
                    .secretDir(tempDir.resolve("secrets"))));
            List<String> jobs = SlurmCluster.jobsNamed(name);
            for (long until = System.nanoTime() + 60_000_000_000L; jobs.isEmpty() && System.nanoTime() < until; ) {
                Thread.sleep(200); // the group submits on a thread of the manager's
                jobs = SlurmCluster.jobsNamed(name);
            }
            assertEquals(1, jobs.size(), "one job: " + jobs);
            String[] out = new String[1];
            String id = jobs.get(0).split("\\|")[0];
            assertEquals(0, SlurmCluster.run(out, 15, "scontrol", "show", "job", id), out[0]);
            assertTrue(out[0].contains("CPUs/Task=2"), "the job asks Slurm for 2 cpus per task: " + out[0]);
            Context<Void, String> ctx = manager.getContext();
            for (int i = 0; i < 2; i++) {
                ctx.addTask(s -> WorkerSide.timedSleep(2000));
            }
            List<long[]> spans = new ArrayList<>();
            for (String r : ctx.getResultsUnordered()) {
                String[] t = r.split(":");
                spans.add(new long[] {Long.parseLong(t[0]), Long.parseLong(t[1])});
            }
            assertTrue(spans.get(0)[0] < spans.get(1)[1] && spans.get(1)[0] < spans.get(0)[1],
                    "the two tasks ran at once on the one worker");
            WorkerInfo w = manager.workers().get(0);
            assertEquals(2, w.slots(), "the worker reports its 2 slots: " + w);
        }
    }
}
