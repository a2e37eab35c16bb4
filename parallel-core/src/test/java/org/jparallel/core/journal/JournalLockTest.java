package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's lock between processes: while another JVM holds it, taking it is refused with the holder's pid
 * in the message; once that JVM is killed with kill -9 (no close, no shutdown hook), the operating system has
 * released it and it can be taken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalLockTest {
    @TempDir
    Path dir;

    /** Holds a journal's lock until killed: prints "held", then waits on its standard input. */
    public static void main(String[] args) throws Exception {
        JournalLock lock = JournalLock.acquire(Path.of(args[0]), "a test holder");
        System.out.println("held");
        System.out.flush();
        System.in.read();
        lock.close();
    }

    @Test
    void aJournalHeldByAnotherProcessIsRefusedNamingItAndFreedWhenThatProcessIsKilled() throws Exception {
        Path journal = dir.resolve("j");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalLockTest.class.getName(), journal.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JournalLock.acquire(journal, "this test"));
            assertTrue(e.getMessage().startsWith("The journal " + journal + " is in use: held by a test holder (pid "
                    + holder.pid()), e.getMessage());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
        try (JournalLock lock = JournalLock.acquire(journal, "this test")) {
            assertThrows(IllegalStateException.class, () -> JournalLock.acquire(journal, "this test again"),
                    "held in this JVM");
        }
        JournalLock.acquire(journal, "this test, after the release").close();
    }

    @Test
    void aSecondCloseOfAReleasedLockLeavesTheNextHoldersClaimAlone() {
        Path journal = dir.resolve("twice.journal");
        JournalLock first = JournalLock.acquire(journal, "a manager");
        first.close();
        try (JournalLock second = JournalLock.acquire(journal, "another manager")) {
            first.close(); // a retried close of the first (its close steps run again after a failure)
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JournalLock.acquire(journal, "a third manager"));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
