package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.spi.WorkerGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task slots on a real batch scheduler: a 2-slot worker's job asks the scheduler for 2 cores and runs 2
 * tasks at once. A subclass names the group to submit, how to find its job and what the job must show.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SlotsOnScheduler extends OnRealScheduler {

    protected SlotsOnScheduler(RealScheduler scheduler) {
        super(scheduler);
    }

    /** @return a group of one worker with 2 slots, its jobs named {@code name} */
    protected abstract WorkerGroup twoSlotWorker(String name);

    /** @return the ids of the jobs named {@code name} the scheduler lists */
    protected abstract List<String> jobsNamed(String name);

    /** Asserts that the job asks the scheduler for 2 cores (as its own job listing shows). */
    protected abstract void assertAsksForTwoCores(String jobId) throws Exception;

    @Test
    void aTwoSlotWorkerIsSubmittedForTwoCoresAndRunsTwoTasksAtOnce() throws Exception {
        String name = SchedulerCommands.uniqueName("jp-slots");
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(twoSlotWorker(name));
            TestSupport.pollUntil(Duration.ofSeconds(60), () -> !jobsNamed(name).isEmpty(),
                    () -> "no job named " + name + " was submitted"); // the group submits on a thread of the manager's
            List<String> jobs = jobsNamed(name);
            assertEquals(1, jobs.size(), "one job: " + jobs);
            assertAsksForTwoCores(jobs.get(0));
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
