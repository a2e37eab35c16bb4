package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * A program ends when its main thread does, once it has closed its manager: the close leaves no thread that keeps
 * the JVM alive. Netty's global executor, whose thread is not a daemon and stays a second after its last task, used
 * to be started by the event loop group's termination at every close: a short program (a {@code jparallel run} of a
 * few tasks) ended up to a second after its work. Checked in a fresh JVM, since this one may run that thread.
 */
class ManagerExitThreadsTest {
    /** Builds and closes a manager, then prints each thread that would keep the JVM alive, then "done". */
    public static void main(String[] args) {
        Manager m = Manager.builder().bindAddress("127.0.0.1").build();
        m.close();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isDaemon() && t != Thread.currentThread() && t.isAlive()) {
                System.out.println("NON-DAEMON " + t.getName());
            }
        }
        System.out.println("done");
    }

    @Test
    void aClosedManagerLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        FreshJvm.Output out = FreshJvm.run(List.of(), ManagerExitThreadsTest.class);
        assertTrue(out.printed("done"), out.text());
        List<String> left = out.text().lines().filter(l -> l.startsWith("NON-DAEMON ")).collect(Collectors.toList());
        assertEquals(List.of(), left, "threads left after the manager's close that keep the JVM alive");
    }
}
