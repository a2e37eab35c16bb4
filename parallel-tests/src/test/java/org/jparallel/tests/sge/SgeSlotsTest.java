package org.jparallel.tests.sge;

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
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.WorkerSide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task slots on the real Grid Engine: a 2-slot worker's job asks for 2 cores (-pe smp 2) and runs 2 tasks at once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeSlotsTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void cellUp() {
        SgeCell.requireUp();
    }

    @Test
    void aTwoSlotWorkerIsSubmittedForTwoCoresOfTheSmpEnvironmentAndRunsTwoTasksAtOnce() throws Exception {
        String name = SgeCell.uniqueName("jp-sgeslots");
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new SgeQsubWorkerArray(1, new SgeOptions().jobName(name).slots("2")
                    .secretDir(tempDir.resolve("secrets"))));
            List<Long> jobs = SgeCell.jobsNamed(name);
            for (long until = System.nanoTime() + 60_000_000_000L; jobs.isEmpty() && System.nanoTime() < until; ) {
                Thread.sleep(200); // the group submits on a thread of the manager's
                jobs = SgeCell.jobsNamed(name);
            }
            assertEquals(1, jobs.size(), "one job: " + jobs);
            String[] out = new String[1];
            assertEquals(0, SgeCell.run(out, 15, "qstat", "-j", Long.toString(jobs.get(0))), out[0]);
            assertTrue(out[0].matches("(?s).*parallel environment:\\s+smp range:\\s+2\\b.*"),
                    "the job asks Grid Engine for 2 slots of smp: " + out[0]);
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
