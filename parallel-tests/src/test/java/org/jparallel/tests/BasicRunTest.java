package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The simplest run: one local worker JVM, ten tasks. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BasicRunTest {

    @TempDir
    Path tempDir;

    @Test
    void tenTasksOnOneLocalWorkerReturnZeroToNineAndWriteTheOutputFile() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k));
            }
            List<Integer> results = new ArrayList<>();
            for (Integer r : ctx.getResultsUnordered()) {
                results.add(r);
            }
            results.sort(null);
            assertEquals(IntStream.range(0, 10).boxed().collect(Collectors.toList()), results);
            assertEquals(0, ctx.outstanding());
            for (int i = 0; i < 10; i++) {
                assertEquals(i, futures.get(i).get(5, TimeUnit.SECONDS), "future of task " + i);
                assertEquals(i, futures.get(i).sequence(), "sequence of task " + i);
            }

            List<WorkerInfo> workers = manager.workers();
            assertEquals(1, workers.size(), TestSupport.describe(workers));
            Path output = TestSupport.outputFile(tempDir, workers.get(0).id());
            assertTrue(Files.isRegularFile(output), "worker output file " + output + " missing; dir has "
                    + listDir(tempDir));
        }
    }

    @Test
    void localWorkerOutputOptionPutsTheOutputFileWhereItSays() throws Exception {
        Path custom = tempDir.resolve("custom");
        Files.createDirectories(custom);
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker().output(custom.resolve("mine-%d.log").toString()));
            Context<Void, Long> ctx = manager.<Long>getContext();
            TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.pid());
            long pid = f.get(60, TimeUnit.SECONDS);
            assertTrue(pid > 0);
            int id = manager.workers().get(0).id();
            Path output = custom.resolve("mine-" + id + ".log");
            assertTrue(Files.isRegularFile(output), "worker output file " + output + " missing; dir has "
                    + listDir(custom));
        }
    }

    private static String listDir(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList()).toString();
        }
    }
}
