package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program ends when its main thread does: after a run with a real worker, a task, its result and the status page,
 * the manager's close leaves no thread that keeps the JVM alive (Netty's global executor, a non-daemon thread that
 * lingers a second, was started by every close). Checked in a fresh JVM, as a user's program runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProgramExitTest {
    @TempDir
    Path dir;

    /** A short program: one worker, one task, the status page on; prints the threads left after the close. */
    public static void main(String[] args) {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").statusPort(0)
                .outputPattern(Path.of(args[0]).resolve("worker%d.output").toString()).build()) {
            m.addWorker(new LocalWorker(1));
            Context<Void, Integer> ctx = m.getContext();
            ctx.addTask(s -> 41 + 1);
            System.out.println("result " + ctx.getResultsUnordered().iterator().next());
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isDaemon() && t != Thread.currentThread() && t.isAlive()) {
                System.out.println("NON-DAEMON " + t.getName());
            }
        }
        System.out.println("done");
    }

    @Test
    void aProgramWithAWorkerATaskAndTheStatusPageLeavesNoThreadThatKeepsItsJvmAlive() throws Exception {
        FreshJvm.Output out = FreshJvm.run(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                ProgramExitTest.class, dir.toString());
        assertTrue(out.text().contains("result 42\n") && out.printed("done"), out.text());
        List<String> left = out.text().lines().filter(l -> l.startsWith("NON-DAEMON ")).collect(Collectors.toList());
        assertEquals(List.of(), left, "threads left after the manager's close that keep the JVM alive");
    }
}
