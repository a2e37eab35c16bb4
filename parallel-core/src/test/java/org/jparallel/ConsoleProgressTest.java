package org.jparallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console progress display: its lines are pure functions of counts and time. */
class ConsoleProgressTest {

    @Test
    void theBarShowsDoneOfTotalPercentRateEtaAndWorkers() {
        assertEquals("[####################....................] 12/24  50%  2.0 tasks/s  ETA 0:06  4 workers",
                ConsoleProgress.renderBar(12, 0, 24, 4, 6_000, 120));
    }

    @Test
    void anEmptyBarHasNoRateOrEta() {
        assertEquals("[........................................] 0/10   0%  0.0 tasks/s  ETA --:--  0 workers",
                ConsoleProgress.renderBar(0, 0, 10, 0, 0, 120));
    }

    @Test
    void aFinishedBarIsFullAndSaysHowLongItTookAndCountsFailures() {
        assertEquals("[########################################] 24/24 100%  0.4 tasks/s  took 1:00  1 worker  2 failed",
                ConsoleProgress.renderBar(22, 2, 24, 1, 60_000, 120));
    }

    @Test
    void theBarShrinksToANarrowTerminalAndNeverWrapsIt() {
        String line = ConsoleProgress.renderBar(5, 0, 10, 2, 1_000, 60);
        assertTrue(line.length() <= 59, line);
        assertTrue(line.startsWith("[######.......] 5/10"), line);
        assertTrue(ConsoleProgress.renderBar(123_456, 7, 1_000_000, 1000, 3_600_000, 40).length() <= 39);
    }

    @Test
    void etaAndElapsedTurnIntoHoursPastAnHour() {
        assertEquals("progress: 1/3 tasks (33%), 0.0 tasks/s, ETA 2:00:00, 2 workers",
                ConsoleProgress.renderPlain(1, 0, 3, 2, 3_600_000));
        assertEquals("0:00", ConsoleProgress.clock(0));
        assertEquals("1:01:01", ConsoleProgress.clock(3_661_000));
    }

    @Test
    void tasksEndedFromTheJournalCountAsFinishedButNotInTheRateOrTheEta() {
        assertEquals("progress: 11/12 tasks (91%), 0.5 tasks/s, ETA 0:02, 1 worker, 10 from the journal",
                ConsoleProgress.renderPlain(1, 0, 10, 12, 1, 2_000));
        assertTrue(ConsoleProgress.renderBar(1, 0, 10, 12, 1, 2_000, 120)
                .endsWith("] 11/12  91%  0.5 tasks/s  ETA 0:02  1 worker  10 from the journal"));
    }

    @Test
    void theListenerCountsTasksEndedFromTheJournal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleProgress.Mode.PLAIN, 60_000, 80, now::get);
        p.taskFromJournal(1, 1);
        p.taskFromJournal(2, 1);
        p.taskQueued(3, 1);
        p.taskQueued(4, 1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        p.taskDone(3, 1);
        p.taskDone(4, 1);
        p.close();
        assertEquals("progress: 4/4 tasks (100%), 0.5 tasks/s, took 0:04, 0 workers, 2 from the journal\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainModePrintsTheFinalLineAndUserLinesUntouched() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleProgress.Mode.PLAIN, 60_000, 80, now::get);
        p.workerJoined(null);
        p.taskQueued(1, 1);
        p.taskQueued(2, 1);
        p.println("a result");
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        p.taskDone(1, 1);
        p.taskFailed(2, null);
        p.close();
        assertEquals("a result\nprogress: 2/2 tasks (100%), 0.5 tasks/s, took 0:04, 1 worker, 1 failed\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void barModeRedrawsInPlaceAndClearsTheBarBeforeAUserLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleProgress.Mode.BAR, 60_000, 80, now::get);
        p.taskQueued(1, 1);
        p.println("first");
        p.println("second");
        p.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        String bar = ConsoleProgress.renderBar(0, 0, 1, 0, 0, 80);
        String blank = "\r" + " ".repeat(bar.length()) + "\r";
        assertEquals("first\n\r" + bar + blank + "second\n\r" + bar + "\r" + bar + "\n", out);
    }
}
