package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the backend, the manager makes the directory of the workers' output files before it asks the backend to
 * start them (a process cannot be started with its output redirected into a missing directory: Grid Engine's
 * parallel-environment workers failed so with the default pattern), and a directory that cannot be made fails the
 * workers with a reason that names it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputDirectoryTest {
    @TempDir
    Path dir;

    /** A backend that records whether each worker's output directory existed when it was asked to start it. */
    private static final class Recording implements WorkerGroup {
        final List<Boolean> directoryExisted = new CopyOnWriteArrayList<>();

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "recording";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            for (int id : spec.workerIds()) {
                directoryExisted.add(Files.isDirectory(spec.outputFile(id).toAbsolutePath().getParent()));
            }
            throw new IllegalStateException("this backend starts nothing");
        }
    }

    @Test
    void theOutputDirectoryExistsWhenTheBackendStartsItsWorkers() {
        Recording group = new Recording();
        Path output = dir.resolve("not/yet/worker%d.output");
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").outputPattern(output.toString())
                .replaceLostWorkers(0).build()) {
            m.addWorker(group);
            Context<Void, Integer> c = m.getContext();
            c.addTask(s -> 1);
            assertThrows(NoMoreWorkersException.class, () -> c.getResultsUnordered().iterator().next());
        }
        assertEquals(List.of(true), group.directoryExisted);
    }

    @Test
    void aDirectoryThatCannotBeMadeFailsTheWorkersAndSaysWhy() throws Exception {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        Recording group = new Recording();
        try (Manager m = Manager.builder().bindAddress("127.0.0.1")
                .outputPattern(dir.resolve("a-file/worker%d.output").toString()).replaceLostWorkers(0).build()) {
            m.addWorker(group);
            Context<Void, Integer> c = m.getContext();
            c.addTask(s -> 1);
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class,
                    () -> c.getResultsUnordered().iterator().next());
            assertTrue(e.getMessage().contains("a-file exists and is not a directory"), e.getMessage());
        }
        assertEquals(List.of(), group.directoryExisted, "the backend was not asked to start workers");
    }
}
