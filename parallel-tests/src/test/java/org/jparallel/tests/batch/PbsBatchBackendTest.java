package org.jparallel.tests.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;
import org.jparallel.spi.ShellWords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PBS scheduler written against the batch kit alone ({@link PbsScheduler}, backend {@code pbsfake}),
 * end to end with real worker JVMs: the fake {@code qsub}/{@code qstat}/{@code qdel} of
 * {@code src/test/resources/pbsfake} print PBS Professional's formats and run each subjob as a local
 * process in its own session, so the kit's whole path (run directory, job script, submission, queue
 * view, handles, batched cancel) runs for real, chosen from a properties file alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PbsBatchBackendTest {
    private static final String HELD = "job held, too many failed attempts to run";

    @TempDir
    Path tempDir;
    private Path state;
    private Path fake;

    @BeforeEach
    void fakeCluster() throws Exception {
        state = Files.createDirectories(tempDir.resolve("pbs"));
        fake = Path.of(PbsBatchBackendTest.class.getResource("/pbsfake/qsub").toURI()).getParent();
    }

    private Path properties(int workers, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("jparallel.backend=pbsfake", "jparallel.workers=" + workers,
                "jparallel.manager.start-timeout=100s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.pbsfake.job-name=jp-pbs",
                "jparallel.pbsfake.secret-dir=" + tempDir.resolve("secrets")));
        for (String tool : List.of("qsub", "qstat", "qdel")) {
            lines.add("jparallel.pbsfake." + tool + "=sh " + fake.resolve(tool) + " " + state);
        }
        lines.addAll(List.of(extra));
        return Files.write(tempDir.resolve("jparallel.properties"), lines);
    }

    /** @return the calls of one fake tool, its arguments after the state directory */
    private List<String> calls(String tool) throws IOException {
        Path f = state.resolve("calls");
        return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> l.startsWith(tool + " ")).toList() : List.of();
    }

    @Test
    void tasksRunOnSubjobsAndCloseCancelsEveryJobWithOneQdel() throws Exception {
        Files.writeString(state.resolve("slots"), "2"); // subjob 3 stays queued: close must cancel it
        try (Manager manager = Manager.fromProperties(properties(3))) {
            Context<Void, String> ctx = manager.getContext();
            for (int i = 0; i < 20; i++) {
                ctx.addTask(s -> System.getenv("PBS_ARRAY_INDEX"));
            }
            Set<String> indices = new HashSet<>();
            int n = 0;
            for (String r : ctx.getResultsUnordered()) {
                indices.add(r);
                n++;
            }
            assertEquals(20, n);
            assertTrue(Set.of("1", "2").containsAll(indices), "tasks ran outside subjobs 1 and 2: " + indices);
            WorkerInfo queued = manager.workers().stream().filter(w -> w.id() == 3).findFirst().orElseThrow();
            assertEquals(WorkerInfo.State.STARTING, queued.state(), queued.toString());
        }
        assertEquals(List.of("qsub -J 1-3 -N jp-pbs -j oe -o " + tempDir.resolve("w^array_index^.out")),
                calls("qsub").stream().map(c -> c.substring(0, c.lastIndexOf(' '))).toList());
        List<String> qdel = calls("qdel");
        assertEquals(1, qdel.size(), "one batched qdel at close: " + qdel);
        assertTrue(qdel.get(0).matches("qdel( 100\\[[-\\d]+\\]\\.fake)* 100\\[(\\d-)?3\\]\\.fake"), qdel.get(0));
        assertTrue(calls("qstat").stream().allMatch(c -> c.equals("qstat -f -x -t -F dsv 100[].fake")),
                "one qstat for the whole job: " + calls("qstat"));
        for (int i = 1; i <= 3; i++) {
            assertEquals("X", Files.readString(state.resolve("100/" + i + ".state")).strip(), "subjob " + i);
        }
        try (Stream<Path> pids = Files.list(state.resolve("100")).filter(p -> p.toString().endsWith(".pid"))) {
            for (Path p : pids.toList()) {
                Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(Files.readString(p).strip()));
                if (h.isPresent()) {
                    h.get().onExit().get(30, TimeUnit.SECONDS); // its worker ended, or qdel killed it
                }
            }
        }
    }

    @Test
    void aHeldSubjobFailsItsWorkerAtOnceWithThePbsComment() throws Exception {
        Files.writeString(state.resolve("hold"), HELD);
        try (Manager manager = Manager.fromProperties(properties(2))) {
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> 1);
            long t0 = System.nanoTime();
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class, () -> {
                Iterator<Integer> it = ctx.getResultsUnordered().iterator();
                assertTrue(it.hasNext());
                it.next();
            });
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 50_000, "took " + ms + " ms with a 100 s start timeout");
            assertTrue(e.getMessage().contains("PBS job 100[1].fake (jp-pbs) is held (H): " + HELD), e.getMessage());
            for (WorkerInfo w : manager.workers()) {
                assertEquals(WorkerInfo.State.FAILED, w.state(), w.toString());
                assertTrue(w.detail().contains(HELD) && w.detail().contains("qrls"), w.detail());
            }
        }
        assertFalse(calls("qdel").isEmpty(), "the held subjobs were not cancelled");
        assertTrue(calls("qdel").stream().allMatch(c -> c.matches("qdel( 100\\[[-\\d]+\\]\\.fake)+")), calls("qdel").toString());
    }

    @Test
    void dryRunPrintsTheQsubCommandAndSubmitsNothing() throws Exception {
        try (Manager manager = Manager.fromProperties(properties(2, "jparallel.pbsfake.dry-run=true",
                "jparallel.pbsfake.queue=workq"))) {
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> 1);
            assertThrows(NoMoreWorkersException.class, () -> ctx.getResultsUnordered().iterator().next());
            for (WorkerInfo w : manager.workers()) {
                String d = w.detail();
                assertEquals(WorkerInfo.State.FAILED, w.state(), w.toString());
                assertTrue(d.startsWith("dry run (jparallel.pbsfake.dry-run=true), nothing submitted.\nqsub command: sh "
                        + fake.resolve("qsub") + " " + state + " -J 1-2 -N jp-pbs -j oe -o "
                         + ShellWords.quote(tempDir.resolve("w^array_index^.out").toString()) + " -q workq " + tempDir.resolve("secrets")), d);
                assertTrue(d.contains("#!/bin/sh\n") && d.contains("id=${PBS_ARRAY_INDEX:-}"), d);
            }
        }
        assertEquals(List.of(), calls("qsub"));
        assertFalse(Files.exists(state.resolve("100")), "a job was submitted");
    }

    @Test
    void aWalltimeGivenToTheGroupIsPbsWalltimeResourceAndTheWorkersLifetime() {
        PbsScheduler pbs = new PbsScheduler();
        assertEquals(List.of("-l", "walltime=00:00:20"), pbs.walltimeOptions(java.time.Duration.ofSeconds(20)));
        assertEquals(List.of("-l", "walltime=26:00:01"), pbs.walltimeOptions(java.time.Duration.ofSeconds(26 * 3600 + 1)));
        org.jparallel.spi.WorkerGroup g = new PbsBackend().createGroup(2,
                org.jparallel.spi.BackendSettings.of("pbs", java.util.Map.of("options", "-A proj"))
                        .withWalltime(java.time.Duration.ofMinutes(2)));
        assertEquals(java.time.Duration.ofMinutes(2), g.walltime());
        assertEquals(List.of("-A", "proj", "-l", "walltime=00:02:00"),
                ((org.jparallel.spi.batch.BatchWorkerGroup<?>) g).options().options());
    }
}
