package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Jobs that cannot start fail fast with Grid Engine's reason; a killed manager leaves no job behind. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeFailureAndCleanupTest extends OnRealScheduler {
    SgeFailureAndCleanupTest() {
        super(SgeCell.CELL);
    }

    @Test
    void jobInEqwFailsWithJobIdStateAndReasonWellWithinTheStartTimeout() throws Exception {
        String name = SgeCell.uniqueName("jp-eqw");
        Duration startTimeout = Duration.ofSeconds(60);
        long t0 = System.nanoTime();
        try (Manager manager = Manager.builder()
                .outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(startTimeout)
                .build()) {
            // a working directory missing on the execution host (the manager makes the output's directory itself)
            manager.addWorker(new SgeQsubWorkerArray(2, new SgeOptions().jobName(name)
                    .secretDir(tempDir.resolve("secrets")).workingDirectory(tempDir.resolve("no/such/dir"))));
            List<WorkerInfo> ws;
            do {
                assertTrue(System.nanoTime() - t0 < startTimeout.toNanos(), "no failure within the start timeout: "
                        + manager.workers());
                Thread.sleep(50);
                ws = manager.workers();
            } while (ws.size() < 2 || ws.stream().anyMatch(w -> w.state() != WorkerInfo.State.FAILED));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("SGE Eqw: both workers FAILED %d ms after addWorker (start timeout %d s)%n", ms,
                    startTimeout.toSeconds());
            for (WorkerInfo w : ws) {
                String d = w.detail();
                assertNotNull(d);
                assertTrue(d.matches("(?s).*Grid Engine job \\d+\\." + w.id() + " \\(" + name + "\\) is in state E.*"),
                        "detail names job id and state: " + d);
                assertTrue(d.contains("can't chdir"), "detail carries Grid Engine's reason: " + d);
            }
            assertTrue(ms < 30_000, "took " + ms + " ms");
        }
        SgeCell.awaitNoJob(name, 20);
    }

    @Test
    void aRefusedQsubQuotesQsubsReasonAndNoLineOfAStaleOutputFile() throws Exception {
        String name = SgeCell.uniqueName("jp-queue");
        Files.writeString(tempDir.resolve("worker1.output"), "STALE-LINE left by an earlier Slurm run\n");
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new SgeQsubWorkerArray(1, new SgeOptions().jobName(name).queue("nosuch.q")
                    .secretDir(tempDir.resolve("secrets"))));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class,
                    () -> ctx.getResults().iterator().next());
            assertTrue(e.getMessage().contains("nosuch.q"), "qsub's reason: " + e.getMessage());
            assertFalse(e.getMessage().contains("STALE-LINE"), "an earlier run's line quoted: " + e.getMessage());
        }
    }

    @Test
    void afterKill9OfTheManagerNoJobRemainsOnceTheDeathTimeoutHasPassed() throws Exception {
        String name = SgeCell.uniqueName("jp-kill");
        Process child = SgeChildJvm.start("hold", "qsub", tempDir, name);
        try {
            String line = SgeChildJvm.readLine(child);
            assertNotNull(line, "child ended early: " + SgeChildJvm.log(tempDir));
            assertTrue(line.startsWith("READY"), line + "\n" + SgeChildJvm.log(tempDir));
            System.out.println("SGE kill -9: child manager says " + line);
            assertEquals(1, SgeCell.jobsNamed(name).size(), "one array job while the manager runs");
            ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            child.waitFor(10, TimeUnit.SECONDS);
            // well after the workers' death timeout, no job is left
            long ms = SgeCell.awaitNoJob(name, (int) SgeManagerChild.DEATH_TIMEOUT.toSeconds() + 15);
            System.out.printf("SGE kill -9: no job left %d ms after the kill (death timeout %d s)%n",
                    ms, SgeManagerChild.DEATH_TIMEOUT.toSeconds());
        } finally {
            child.destroyForcibly();
        }
    }
}
