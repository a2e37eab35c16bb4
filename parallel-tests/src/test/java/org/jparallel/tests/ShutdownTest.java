package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Manager.close() leaves no worker process behind. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @TempDir
    Path tempDir;

    @Test
    void afterManagerCloseNoneOfItsWorkerProcessesIsAlive() {
        Set<Long> pids = new TreeSet<>();
        Manager manager = TestSupport.builder(tempDir).build();
        try (manager) {
            manager.addWorker(new LocalWorker(3));
            TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            for (int i = 0; i < 30; i++) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(20, WorkerSide.pid()));
            }
            for (Long pid : ctx.getResultsUnordered()) {
                pids.add(pid);
            }
            Set<Long> fromInfo = manager.workers().stream().map(WorkerInfo::pid).collect(Collectors.toSet());
            assertEquals(3, fromInfo.size(), TestSupport.describe(manager.workers()));
            assertTrue(fromInfo.stream().allMatch(p -> p > 0), TestSupport.describe(manager.workers()));
            assertTrue(fromInfo.containsAll(pids), "task pids " + pids + " vs " + TestSupport.describe(manager.workers()));
            pids.addAll(fromInfo);
            // a task still running at close time must not keep its worker alive either
            ctx.addTask(s -> WorkerSide.sleepThenReturn(60_000, -1L));
            for (long pid : pids) {
                assertTrue(TestSupport.isAlive(pid), "worker " + pid + " dead before close");
            }
        }
        // close() should have waited already; allow a few seconds for the OS to reap
        TestSupport.pollUntil(Duration.ofSeconds(5),
                () -> pids.stream().noneMatch(TestSupport::isAlive),
                () -> "worker processes still alive after close: "
                        + pids.stream().filter(TestSupport::isAlive).collect(Collectors.toList()));
        long aliveRightAfterPoll = pids.stream().filter(TestSupport::isAlive).count();
        assertEquals(0, aliveRightAfterPoll);
    }
}
