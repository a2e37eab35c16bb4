package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code jparallel demo} shows its results above a progress display, as a bar or as plain lines. */
class DemoCommandTest {

    @Test
    void plainProgressEndsWithEveryTaskDone() {
        Cli.Result r = Cli.run("demo", "--workers", "2", "--tasks", "4", "--progress", "plain");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("jparallel demo: 4 temperatures on 2 local worker(s)"), r::toString);
        assertEquals(4, r.out().lines().filter(l -> l.startsWith("  T=")).count(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("progress: 4/4 tasks \\(100%\\), [0-9.]+ tasks/s, took \\d+:\\d\\d, "
                + "2 workers")), r::toString);
        assertTrue(r.out().contains("summary: 4 tasks done (0 failed) on 2 worker(s); setups run: 2"), r::toString);
    }

    @Test
    void theBarIsRedrawnInPlaceAndEndsFull() {
        Cli.Result r = Cli.run("demo", "--workers", "2", "--tasks", "4", "--progress", "bar");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("\r[#"), () -> "the bar is drawn with carriage returns\n" + r);
        String last = r.out().substring(r.out().lastIndexOf('\r') + 1);
        assertTrue(last.matches("(?s)\\[#+\\] 4/4 100%  [0-9.]+ tasks/s  took \\d+:\\d\\d  2 workers\\s*\n\nsummary: .*"),
                () -> "the final bar is full\n" + last);
        assertEquals(4, r.out().lines().filter(l -> l.contains("  T=")).count(), r::toString);
    }

    @Test
    void badOptionsPrintTheUsage() {
        Cli.Result r = Cli.run("demo", "--progress", "sparkles");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("expected auto, bar, plain or off"), r::toString);
        assertTrue(r.err().contains("Usage: jparallel demo"), r::toString);
    }
}
