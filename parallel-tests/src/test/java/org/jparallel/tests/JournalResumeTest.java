package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.Manager;
import org.jparallel.ManagerStats;
import org.jparallel.ProgressListener;
import org.jparallel.Setup;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task keys and resuming from a journal, with real worker JVMs: a program that stops part-way and runs again gets
 * the results it had not read from the journal, runs only the keys not finished, and reads nothing twice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalResumeTest {
    @TempDir
    Path dir;

    private Manager manager(JournalMode mode) {
        return TestSupport.builder(dir).journal(dir.resolve("j"), mode).journalIdentity("JournalResumeTest").build();
    }

    private static Iterable<Integer> upTo(int n) {
        return () -> IntStream.range(0, n).iterator();
    }

    @Test
    void aProgramRunAgainGetsFinishedKeysFromTheJournalAndRunsOnlyTheRest() throws Exception {
        String executions = dir.resolve("executions").toString();
        Setup<String> setup = () -> "s";
        List<String> firstRun = new ArrayList<>();
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addWorker(new LocalWorker(2));
            Context<String, String> ctx = m.getContext("squares", setup);
            Iterator<String> it = ctx.mapUnordered(upTo(40), String::valueOf,
                    i -> s -> JournalKillChild.run(executions, i)).iterator();
            for (int k = 0; k < 10; k++) {
                firstRun.add(it.next());
            }
            it.hasNext(); // the tenth is done with; the program stops here
            TestSupport.pollUntil(Duration.ofSeconds(30), () -> TestSupport.lines(Path.of(executions)).size() >= 11,
                    () -> "tasks did not run");
        }
        int executedInFirst = TestSupport.lines(Path.of(executions)).size(); // its workers are stopped
        List<Long> fromJournalEvents = new CopyOnWriteArrayList<>();
        List<String> secondRun = new ArrayList<>();
        ManagerStats stats;
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addListener(new ProgressListener() {
                @Override
                public void taskFromJournal(long taskId, int contextId) {
                    fromJournalEvents.add(taskId);
                }
            });
            m.addWorker(new LocalWorker(2));
            Context<String, String> ctx = m.getContext("squares", setup);
            for (String r : ctx.mapUnordered(upTo(40), String::valueOf, i -> s -> JournalKillChild.run(executions, i))) {
                secondRun.add(r);
            }
            stats = m.stats();
        }
        List<String> all = new ArrayList<>(firstRun);
        all.addAll(secondRun);
        assertEquals(IntStream.range(0, 40).mapToObj(i -> "r" + i).sorted().collect(Collectors.toList()),
                all.stream().sorted().collect(Collectors.toList()), "every key delivered once over the two runs");
        List<String> ran = TestSupport.lines(Path.of(executions));
        List<String> ranAgain = ran.subList(executedInFirst, ran.size());
        for (String r : firstRun) {
            assertTrue(!ranAgain.contains(r.substring(1)), "key " + r + " was delivered and ran again: " + ranAgain);
        }
        assertEquals(ranAgain.size(), stats.tasksSucceeded(), "the second run ran each task once: " + ranAgain);
        assertTrue(stats.tasksFromJournal() >= 10, "the delivered and the journaled keys came from the journal: "
                + stats);
        assertEquals(40, stats.tasksSubmitted());
        assertEquals(40 - stats.tasksFromJournal(), stats.tasksSucceeded(), "only the rest ran: " + stats);
        TestSupport.pollUntil(Duration.ofSeconds(5), () -> fromJournalEvents.size() == stats.tasksFromJournal(),
                () -> "progress events: " + fromJournalEvents.size() + " taskFromJournal, stats " + stats);
    }

    /**
     * The delivery semantics' second half: the result a program holds (returned by {@code next()}, no {@code
     * hasNext()} since) is marked delivered when the program closes the context, as when it asks for the next one;
     * so a program that stops reading part-way and closes its context gets none of what it read again.
     */
    @Test
    void theResultTheProgramHeldIsMarkedDeliveredWhenItClosesTheContext() throws Exception {
        String executions = dir.resolve("executions").toString();
        Setup<String> setup = () -> "s";
        List<String> firstRun = new ArrayList<>();
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addWorker(new LocalWorker(1));
            try (Context<String, String> ctx = m.getContext("held", setup)) {
                Iterator<String> it = ctx.mapUnordered(upTo(20), String::valueOf,
                        i -> s -> JournalKillChild.run(executions, i)).iterator();
                for (int k = 0; k < 5; k++) {
                    firstRun.add(it.next()); // the fifth is in the program's hand when it closes the context
                }
            }
        }
        List<String> secondRun = new ArrayList<>();
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addWorker(new LocalWorker(1));
            Context<String, String> ctx = m.getContext("held", setup);
            ctx.mapUnordered(upTo(20), String::valueOf, i -> s -> JournalKillChild.run(executions, i))
                    .forEach(secondRun::add);
        }
        List<String> again = new ArrayList<>(secondRun);
        again.retainAll(firstRun);
        assertEquals(List.of(), again, "results the first run read (the last one held at the close) delivered again");
        assertEquals(20, firstRun.size() + secondRun.size(), "first " + firstRun + ", second " + secondRun);
    }

    /**
     * The program's own output takes part: keys it says it has ({@link Context#markDelivered}), read back from its
     * output at a restart, are neither delivered again nor run, whether the journal held their results undelivered
     * (the one in the program's hand at a kill), delivered, or not at all; the others come as usual.
     */
    @Test
    void keysTheProgramMarksDeliveredAreNeitherDeliveredAgainNorRun() throws Exception {
        String executions = dir.resolve("executions").toString();
        Setup<String> setup = () -> "s";
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addWorker(new LocalWorker(1));
            Context<String, String> ctx = m.getContext("marked", setup);
            List<TaskFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> JournalKillChild.run(executions, k), TaskOptions.none().withKey(k)));
            }
            for (TaskFuture<String> f : futures) {
                f.get(30, TimeUnit.SECONDS); // journaled; none read through an iterator: none delivered
            }
        }
        int executedInFirst = TestSupport.lines(Path.of(executions)).size();
        assertEquals(10, executedInFirst);
        List<String> secondRun = new ArrayList<>();
        try (Manager m = manager(JournalMode.RESUME)) {
            m.addWorker(new LocalWorker(1));
            Context<String, String> ctx = m.getContext("marked", setup);
            ctx.markDelivered(List.of("3", "4", "12", "13")); // two journaled, two the journal never saw
            ctx.markDelivered(List.of("3")); // again: no harm
            ctx.mapUnordered(upTo(15), String::valueOf, i -> s -> JournalKillChild.run(executions, i))
                    .forEach(secondRun::add);
            IllegalStateException added = assertThrows(IllegalStateException.class,
                    () -> ctx.markDelivered(List.of("14")));
            assertTrue(added.getMessage().contains("already has a task with the key '14'"), added.getMessage());
        }
        assertEquals(List.of("r0", "r1", "r10", "r11", "r14", "r2", "r5", "r6", "r7", "r8", "r9"),
                secondRun.stream().sorted().collect(Collectors.toList()), "the keys not marked, each once");
        List<String> ran = TestSupport.lines(Path.of(executions));
        assertEquals(List.of("10", "11", "14"), ran.subList(executedInFirst, ran.size()).stream().sorted()
                .collect(Collectors.toList()), "only the keys neither journaled nor marked ran");
        try (Manager m = TestSupport.builder(dir).build()) {
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> m.getContext("c").markDelivered(List.of("1")));
            assertTrue(none.getMessage().contains("needs a journal"), none.getMessage());
            // the program's first run, with nothing in its output, on a configuration without a journal (a laptop's
            // properties): there is nothing to mark, and the same program runs on
            m.getContext("d").markDelivered(List.of());
        }
    }

    @Test
    void aSecondTaskWithAKeyUsedInTheContextIsRefusedAtAddTask() {
        try (Manager m = TestSupport.builder(dir).build()) {
            Context<Void, Integer> ctx = m.getContext("c");
            ctx.addTask(s -> 1, TaskOptions.none().withKey(7));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ctx.addTask(s -> 2, TaskOptions.none().withKey("7")));
            assertTrue(e.getMessage().contains("already has a task with the key '7'"), e.getMessage());
            m.<Integer>getContext("d").addTask(s -> 3, TaskOptions.none().withKey(7)); // another context: free
            assertEquals(1, ctx.outstanding(), "the refused task was not added");
            assertThrows(IllegalArgumentException.class, () -> m.getContext("c"), "context names are unique");
        }
    }

    @Test
    void aContextResumedWithAnotherSetupIsRefusedUnlessTheJournalStartsAfresh() {
        try (Manager m = manager(JournalMode.RESUME)) {
            m.getContext("c", () -> "one");
        }
        try (Manager m = manager(JournalMode.RESUME)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.getContext("c", () -> "two"));
            assertTrue(e.getMessage().contains("holds the context 'c' with the setup"), e.getMessage());
        }
        try (Manager m = manager(JournalMode.FRESH)) {
            m.getContext("c", () -> "two");
        }
    }
}
