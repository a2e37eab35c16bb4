package org.jparallel.tests.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.ConfigurationException;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.tests.backend.ShellWrappedBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Manager#fromProperties(Path)} end to end, with real worker processes: a backend that exists
 * only in this test module ({@link ShellWrappedBackend}) is discovered and runs tasks; switching
 * {@code jparallel.backend} to {@code local} needs no code change; {@code -D} overrides a key; bad
 * files fail before any process is started; two groups of two backends serve one manager.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfigFromPropertiesTest {
    private static final Duration CONNECT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Writes {@code jparallel.properties} in the temp dir, worker output going to the temp dir too. */
    private Path properties(String... lines) throws IOException {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("jparallel.worker.output=" + dir.resolve("w%d.out"));
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, all, StandardCharsets.UTF_8);
        return f;
    }

    /** Runs {@code n} tasks that each return {@code "k|marker|pid"}; fails when not all come back. */
    private static List<String> runMarkerTasks(Manager manager, int n) {
        Context<Void, String> ctx = manager.<String>getContext();
        for (int i = 0; i < n; i++) {
            int k = i;
            ctx.addTask(s -> k + "|" + System.getProperty(ShellWrappedBackend.MARKER_PROPERTY) + "|"
                    + ProcessHandle.current().pid());
        }
        List<String> results = new ArrayList<>();
        for (String r : ctx.getResultsUnordered()) {
            results.add(r);
        }
        assertEquals(IntStream.range(0, n).boxed().collect(Collectors.toSet()),
                results.stream().map(r -> Integer.parseInt(r.split("\\|")[0])).collect(Collectors.toSet()),
                "every task's result arrives once: " + results);
        assertEquals(n, results.size(), results.toString());
        return results;
    }

    private static Set<String> markers(List<String> results) {
        return results.stream().map(r -> r.split("\\|")[1]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<WorkerInfo> awaitConnected(Manager manager, int n) {
        long deadline = System.nanoTime() + CONNECT.toNanos();
        while (true) {
            List<WorkerInfo> ws = manager.workers();
            for (WorkerInfo w : ws) {
                if (w.state() == WorkerInfo.State.FAILED || w.state() == WorkerInfo.State.LOST) {
                    fail("worker " + w.id() + " is " + w.state() + ": " + w.detail());
                }
            }
            if (ws.stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() >= n) {
                return ws;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + n + " connected workers: " + ws);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Asserts that loading {@code file} fails with every text of {@code expected} and starts no process. */
    private static ConfigurationException assertRejected(Path file, String... expected) {
        Set<Long> before = children();
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> {
            try (Manager m = Manager.fromProperties(file)) {
                fail("accepted: " + m.workers());
            }
        });
        for (String x : expected) {
            assertTrue(e.getMessage().contains(x), "expected <" + x + "> in:\n" + e.getMessage());
        }
        Set<Long> started = new HashSet<>(children());
        started.removeAll(before);
        assertTrue(started.isEmpty(), "processes started by a rejected configuration: " + started);
        return e;
    }

    @Test
    void aBackendOnlyInTheTestModuleIsDiscoveredAndRunsTasksWithItsKey() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=2",
                "jparallel.shellwrapped.marker=hello");
        try (Manager manager = Manager.fromProperties(f)) {
            List<WorkerInfo> ws = awaitConnected(manager, 2);
            assertEquals(2, ws.size(), ws.toString());
            for (WorkerInfo w : ws) {
                assertTrue(w.description().contains("shellwrapped"), w.toString());
                assertTrue(Files.isRegularFile(dir.resolve("w" + w.id() + ".out")), "output of worker " + w.id());
            }
            List<String> results = runMarkerTasks(manager, 20);
            assertEquals(Set.of("hello"), markers(results), "the marker key reached every worker JVM");
            Set<Long> workerPids = ws.stream().map(WorkerInfo::pid).collect(Collectors.toSet());
            for (String r : results) {
                long pid = Long.parseLong(r.split("\\|")[2]);
                assertTrue(workerPids.contains(pid), "task ran in pid " + pid + ", not a worker of " + ws);
            }
            assertEquals(2, manager.workers().size(), manager.workers().toString());
        }
    }

    @Test
    void theSameFileRunsOnTheLocalBackendWhenOnlyTheBackendKeyChanges() throws IOException {
        Path f = properties("jparallel.backend=local", "jparallel.workers=2", "jparallel.shellwrapped.marker=hello");
        try (Manager manager = Manager.fromProperties(f)) {
            List<WorkerInfo> ws = awaitConnected(manager, 2);
            assertEquals(2, ws.size(), ws.toString());
            ws.forEach(w -> assertTrue(w.description().contains("local"), w.toString()));
            List<String> results = runMarkerTasks(manager, 20);
            assertEquals(Set.of("null"), markers(results), "the local backend does not read jparallel.shellwrapped.*");
        }
    }

    @Test
    void aSystemPropertyOverridesTheWorkerCount() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=2",
                "jparallel.shellwrapped.marker=dee");
        String old = System.getProperty("jparallel.workers");
        System.setProperty("jparallel.workers", "1");
        try (Manager manager = Manager.fromProperties(f)) {
            awaitConnected(manager, 1);
            assertEquals(1, manager.workers().size(), manager.workers().toString());
            assertEquals(Set.of("dee"), markers(runMarkerTasks(manager, 3)));
            assertEquals(1, manager.workers().size(), manager.workers().toString());
        } finally {
            if (old == null) {
                System.clearProperty("jparallel.workers");
            } else {
                System.setProperty("jparallel.workers", old);
            }
        }
    }

    @Test
    void aSystemPropertyOverridesABackendKey() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=1",
                "jparallel.shellwrapped.marker=fromfile");
        String old = System.getProperty("jparallel.shellwrapped.marker");
        System.setProperty("jparallel.shellwrapped.marker", "fromdashd");
        try (Manager manager = Manager.fromProperties(f)) {
            assertEquals(Set.of("fromdashd"), markers(runMarkerTasks(manager, 2)));
        } finally {
            if (old == null) {
                System.clearProperty("jparallel.shellwrapped.marker");
            } else {
                System.setProperty("jparallel.shellwrapped.marker", old);
            }
        }
    }

    @Test
    void aTypoInAKeyIsRejectedWithASuggestionBeforeAnythingStarts() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.wrokers=4");
        assertRejected(f, "Unknown key jparallel.wrokers (in " + f.toAbsolutePath() + ")",
                "did you mean jparallel.workers?");
    }

    @Test
    void aTypoInABackendKeyIsRejectedWithASuggestion() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=1", "jparallel.shellwrapped.marke=x");
        assertRejected(f, "Unknown key jparallel.shellwrapped.marke", "did you mean jparallel.shellwrapped.marker?");
    }

    @Test
    void aBadValueIsRejectedNamingKeyValueAndFile() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=four");
        assertRejected(f, "Bad value for jparallel.workers (in " + f.toAbsolutePath() + "): 'four'",
                "a whole number");
    }

    @Test
    void aBackendNotOnTheClasspathListsTheBackendsFoundAndTheModuleToAdd() throws IOException {
        // Every backend jparallel ships is on this classpath; the module hint for a shipped one is unit-tested
        // in parallel-core (ConfigResolverTest). Here: a backend nobody provides.
        Path f = properties("jparallel.backend=pbs", "jparallel.workers=4");
        assertRejected(f, "No backend named 'pbs'", "Backends found: local, pbsfake, sge, shellwrapped, slurm, ssh",
                "Add the jar of the module that provides it");
    }

    @Test
    void aMissingFileIsRejectedNamingIt() {
        Path missing = dir.resolve("nowhere.properties");
        assertRejected(missing, missing.toAbsolutePath().toString(), "does not exist");
    }

    @Test
    void aBackendRejectingItsSettingsIsAConfigurationErrorAndStartsNothing() throws IOException {
        Path f = properties("jparallel.groups=a,b", "jparallel.group.a.backend=shellwrapped",
                "jparallel.group.a.workers=1", "jparallel.group.b.backend=local", "jparallel.group.b.workers=1",
                "jparallel.group.b.jvm-options=-Dx=\"unclosed");
        assertRejected(f, "Unclosed");
    }

    @Test
    void twoGroupsOfTwoBackendsServeOneManager() throws IOException {
        Path f = properties("jparallel.groups=a,b",
                "jparallel.group.a.backend=local", "jparallel.group.a.workers=1",
                "jparallel.group.b.backend=shellwrapped", "jparallel.group.b.workers=1",
                "jparallel.shellwrapped.marker=shared", "jparallel.group.b.marker=fromb");
        try (Manager manager = Manager.fromProperties(f)) {
            List<WorkerInfo> ws = awaitConnected(manager, 2);
            assertEquals(2, ws.size(), ws.toString());
            assertEquals(Set.of("local", "shellwrapped"),
                    ws.stream().map(WorkerInfo::description).collect(Collectors.toSet()), ws.toString());
            Context<Void, String> ctx = manager.<String>getContext();
            for (int i = 0; i < 10; i++) {
                ctx.addTask(s -> {
                    Thread.sleep(200); // long enough that both idle workers get tasks
                    return String.valueOf(System.getProperty(ShellWrappedBackend.MARKER_PROPERTY));
                });
            }
            List<String> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            assertEquals(10, results.size(), results.toString());
            assertEquals(Set.of("null", "fromb"), new TreeSet<>(results),
                    "both groups ran tasks, and group b's own marker won over jparallel.shellwrapped.marker");
            for (WorkerInfo w : manager.workers()) {
                assertTrue(w.tasksCompleted() > 0, "worker " + w + " ran no task");
            }
        }
    }

    @Test
    void theMarkerIsAbsentWhenNotConfigured() throws IOException {
        Path f = properties("jparallel.backend=shellwrapped", "jparallel.workers=1");
        try (Manager manager = Manager.fromProperties(f)) {
            List<String> results = runMarkerTasks(manager, 2);
            assertEquals(Set.of("null"), markers(results));
            assertNull(System.getProperty(ShellWrappedBackend.MARKER_PROPERTY), "the test JVM has no marker");
        }
    }
}
