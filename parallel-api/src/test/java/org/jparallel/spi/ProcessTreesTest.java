package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ProcessTrees} on real processes: a shell that started a child is ended with the child. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessTreesTest {
    /** @return a shell that starts a sleeping child, once it has said the child's pid */
    private static Process shellWithChild(String trap) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", trap + "sleep 300 & echo $!; wait").start();
        return p;
    }

    private static ProcessHandle child(Process shell) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
        return ProcessHandle.of(Long.parseLong(r.readLine().trim())).orElseThrow();
    }

    @Test
    void killAtOnceEndsTheProcessAndItsDescendants() throws Exception {
        Process shell = shellWithChild("");
        ProcessHandle child = child(shell);
        assertTrue(ProcessTrees.kill(shell.toHandle(), 0, 10_000), "all gone");
        assertFalse(shell.isAlive());
        assertFalse(child.isAlive(), "the child too");
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        Process shell = shellWithChild("trap '' TERM; ");
        ProcessHandle child = child(shell);
        long start = System.nanoTime();
        assertTrue(ProcessTrees.kill(shell.toHandle(), 300, 10_000), "all gone");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "after the grace");
        assertFalse(shell.isAlive());
        assertFalse(child.isAlive());
    }
}
