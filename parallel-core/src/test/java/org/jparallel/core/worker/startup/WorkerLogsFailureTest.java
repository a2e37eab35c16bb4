package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A worker's logging when SLF4J's set-up fails ({@link WorkerLogs}): its lines go plainly to standard error, INFO
 * and above, the ones not replayed first, and no logging call throws; and a set-up that finds SLF4J's own set-up
 * begun by another thread waits for it. Each case runs in a fresh JVM with {@link TestSlf4jProvider} as SLF4J's
 * provider, standard error and output on one stream.
 */
@Timeout(180) // a child JVM that hangs fails the test instead of the build
class WorkerLogsFailureTest {
    private static final String OWN = WorkerLogsFailureTest.class.getName();
    private static final String HEADER = "jparallel worker: its logging could not be set up";

    /** @param args the case to run: {@code fail-init}, {@code fail-log} or {@code slow-init} */
    public static void main(String[] args) throws Exception {
        WorkerLogs.defer(60_000); // no set-up by time in a slow test JVM
        InternalLogger netty = InternalLoggerFactory.getInstance("netty.Static");
        InternalLogger own = WorkerLogs.logger(WorkerLogsFailureTest.class);
        switch (args[0]) {
            case "fail-init" -> {
                own.debug("a debug line");
                own.info("first {}", 1);
                Thread t = new Thread(() -> own.info("from {}", "another thread"), "other-thread");
                t.start();
                t.join();
                own.info("with a throwable", new IllegalStateException("boom"));
                netty.warn("the warning {}", 7); // sets up at once: SLF4J fails
                System.out.println("after: deferring=" + WorkerLogs.deferring() + " failed=" + WorkerLogs.failed()
                        + " debug=" + own.isDebugEnabled() + " info=" + own.isInfoEnabled());
                own.info("after {}", 2);
                own.debug("a debug line after");
                WorkerLogs.setUp(); // nothing left to do
                netty.error("the end");
            }
            case "fail-log" -> {
                own.info("first");
                own.info("explode {}", 2);
                own.debug("a debug line");
                own.info("third {}", 3);
                WorkerLogs.setUp();
                own.info("after; failed=" + WorkerLogs.failed());
            }
            case "slow-init" -> {
                own.info("recorded {}", 1);
                Thread task = new Thread(() -> LoggerFactory.getLogger("task").info("the task's line"), "task-thread");
                task.start(); // a task's first logger: SLF4J sets itself up on the task's thread
                TestSlf4jProvider.INIT_STARTED.await();
                Thread setUp = new Thread(WorkerLogs::setUp, "set-up");
                setUp.start();
                Thread.State s = setUp.getState();
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // waits for SLF4J's lock, or not; a set-up that parks instead (WAITING) ends the wait at the deadline
                while (s != Thread.State.BLOCKED && s != Thread.State.TERMINATED && System.nanoTime() < giveUp) {
                    Thread.onSpinWait();
                    s = setUp.getState();
                }
                System.out.println("while SLF4J sets up: " + s + ", deferring=" + WorkerLogs.deferring());
                TestSlf4jProvider.RELEASE.countDown();
                setUp.join();
                task.join();
                System.out.println("done: deferring=" + WorkerLogs.deferring());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    @Test
    void aFailedSetUpWritesTheLinesPlainlyToStandardErrorInfoAndAboveAndNeverThrows() throws Exception {
        String out = run("fail-init");
        assertEquals(List.of(
                HEADER + " (java.lang.IllegalStateException); its lines go to standard error from now on, INFO and"
                        + " above, these first:",
                "[main] INFO " + OWN + " - first {} [1]",
                "[other-thread] INFO " + OWN + " - from {} [another thread]",
                "[main] INFO " + OWN + " - with a throwable",
                "java.lang.IllegalStateException: boom",
                "[main] WARN netty.Static - the warning {} [7]",
                "after: deferring=false failed=true debug=false info=true",
                "[main] INFO " + OWN + " - after {} [2]",
                "[main] ERROR netty.Static - the end"), lines(out), out);
        assertTrue(out.contains("java.lang.IllegalStateException: boom" + System.lineSeparator() + "\tat "
                + WorkerLogsFailureTest.class.getName() + ".main("), "the throwable's stack: " + out);
    }

    @Test
    void aReplayThatFailsPartWayWritesTheLinesNotReplayedFirst() throws Exception {
        String out = run("fail-log");
        assertEquals(List.of(
                "slf4j: [main] INFO " + OWN + " - first",
                HEADER + " (java.lang.IllegalStateException); its lines go to standard error from now on, INFO and"
                        + " above, these first:",
                "[main] INFO " + OWN + " - explode {} [2]",
                "[main] INFO " + OWN + " - third {} [3]",
                "[main] INFO " + OWN + " - after; failed=true"), lines(out), out);
    }

    @Test
    void aSetUpWaitsForSlf4jsOwnSetUpBegunByAnotherThread() throws Exception {
        String out = run("slow-init");
        List<String> lines = lines(out);
        assertEquals("while SLF4J sets up: BLOCKED, deferring=true", lines.get(0), out);
        // the record reaches the provider's logger, not SLF4J's stand-in for a logger asked for during its set-up
        assertTrue(lines.contains("slf4j: [main] INFO " + OWN + " - recorded 1"), out);
        assertTrue(lines.contains("slf4j: [task-thread] INFO task - the task's line"), out);
        assertEquals("done: deferring=false", lines.get(lines.size() - 1), out);
        assertEquals(4, lines.size(), out);
    }

    /** @return the lines of the case and of the loggers: not SLF4J's own report nor a stack's frames */
    private static List<String> lines(String out) {
        return out.lines().filter(l -> l.startsWith("[") || l.startsWith("slf4j: ") || l.startsWith(HEADER)
                || l.startsWith("after") || l.startsWith("while") || l.startsWith("done")
                || l.equals("java.lang.IllegalStateException: boom")).toList();
    }

    private static String run(String mode) throws Exception {
        return FreshJvm.run(List.of("-Xshare:auto", "-Dslf4j.provider=" + TestSlf4jProvider.class.getName(),
                "-Dtest.slf4j=" + mode), WorkerLogsFailureTest.class, mode).text();
    }
}
