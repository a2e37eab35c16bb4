package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerTest {
    @TempDir
    Path tmp;

    private final List<WorkerHandle> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(WorkerHandle::stop);
    }

    private LaunchSpec spec(Integer... ids) {
        return new LaunchSpec(List.of(ids), "java", List.of(), "cp", "Main", null, 5000, List.of(), "s3cret",
                tmp + "/worker%d.output");
    }

    private List<WorkerHandle> start(LocalWorker w, LaunchSpec spec) {
        List<WorkerHandle> handles = w.start(spec);
        started.addAll(handles);
        return handles;
    }

    /** Polls until the condition holds, failing after the timeout. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitTerminal(WorkerHandle h) throws InterruptedException {
        await(h.description() + " to end", Duration.ofSeconds(20), () -> h.status().isTerminal());
    }

    @Test
    void countMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LocalWorker(0));
        assertEquals(1, new LocalWorker().size());
        LocalWorker w = new LocalWorker(3);
        assertEquals(3, w.size());
        assertEquals("local", w.backendName());
        assertTrue(w.runsOnManagerHost());
    }

    @Test
    void commandLineFallsBackToTheSpec() {
        assertEquals(List.of("java", "-cp", "cp", "Main", "--connect", "127.0.0.1:5000", "--id", "2",
                "--secret-stdin-once"), new LocalWorker().commandLine(spec(1, 2), 2));
    }

    @Test
    void commandLineUsesOverridesAndHoldsNoSecret() {
        LocalWorker w = new LocalWorker(2).javaCommand("/opt/env.sh 'my java'").jvmOptions("-Xmx1g", "-Da=b")
                .host("node7").classpath("a.jar:b.jar").output(tmp + "/logs/w%d.log");
        List<String> cmd = w.commandLine(spec(1, 2), 1);
        assertEquals(List.of("/opt/env.sh", "my java", "-Xmx1g", "-Da=b", "-cp", "a.jar:b.jar", "Main",
                "--connect", "node7:5000", "--id", "1", "--secret-stdin-once"), cmd);
        assertTrue(cmd.stream().noneMatch(word -> word.contains("s3cret")), cmd.toString());
        assertEquals(tmp.resolve("logs/w2.log"), w.applyTo(spec(1, 2)).outputFile(2));
    }

    @Test
    void realProcessGetsSecretOnStandardInputNotInEnvironmentArgumentsOnCommandLineAndExits() throws Exception {
        LocalWorker w = new LocalWorker(2).javaCommand("/bin/sh -c 'echo hi; read s; echo secret=$s; "
                + "echo env=$JPARALLEL_SECRET; read more || echo stdin-closed; echo \"args: $*\"; echo oops >&2; exit 3' sh")
                .output(tmp + "/out/w%d.log");
        List<WorkerHandle> handles = start(w, spec(4, 5));
        assertEquals(2, handles.size());
        for (int i = 0; i < 2; i++) {
            WorkerHandle h = handles.get(i);
            int id = 4 + i;
            assertEquals(id, h.workerId());
            assertTrue(h.description().matches("local worker " + id + " \\(pid \\d+\\)"), h.description());
            assertEquals(tmp.resolve("out/w" + id + ".log").toString(), h.logLocation());
            awaitTerminal(h);
            assertEquals(WorkerStatus.exited(3), h.status());
            String tail = h.outputTail(10);
            assertTrue(tail.contains("hi"), tail);
            assertTrue(tail.contains("secret=s3cret"), tail);
            assertFalse(tail.contains("env=s3cret"), "the secret is not in the environment: " + tail);
            assertTrue(tail.contains("stdin-closed"), "standard input ends after the secret: " + tail);
            assertTrue(tail.contains("args: -cp cp Main --connect 127.0.0.1:5000 --id " + id + " --secret-stdin-once"),
                    tail);
            assertTrue(tail.contains("oops"), "stderr goes to the output file too: " + tail);
            assertEquals("oops", h.outputTail(1));
        }
    }

    @Test
    void outputFileIsOverwritten() throws Exception {
        Files.writeString(tmp.resolve("worker1.output"), "stale line\n");
        WorkerHandle h = start(new LocalWorker().javaCommand("/bin/sh -c 'echo fresh' sh"), spec(1)).get(0);
        awaitTerminal(h);
        assertEquals("fresh", h.outputTail(5));
    }

    @Test
    void theOutputFilesMissingDirectoriesAreMadeBeforeTheWorkerStarts() {
        Path dir = tmp.resolve("jparallel-output/run5000");
        WorkerHandle h = start(new LocalWorker(1).javaCommand("/no/such/java"), new LaunchSpec(List.of(1), "java",
                List.of(), "cp", "Main", null, 5000, List.of(), "s3cret", tmp + "/jparallel-output/run%p/w%d.out"))
                .get(0);
        assertTrue(Files.isDirectory(dir), "the directory of the output file is made");
        assertEquals(dir.resolve("w1.out").toString(), h.logLocation());
        assertTrue(h.outputTail(5).contains("cannot run"), "the reason is in the file: " + h.outputTail(5));
    }

    @Test
    void badJavaCommandGivesFailedHandleWithReasonInTail() {
        List<WorkerHandle> handles = start(new LocalWorker(2).javaCommand("/no/such/java"), spec(1, 2));
        assertEquals(2, handles.size());
        for (WorkerHandle h : handles) {
            WorkerStatus st = h.status();
            assertEquals(WorkerStatus.Phase.FAILED, st.phase());
            assertEquals("cannot run \"/no/such/java\": No such file or directory (set the java command with "
                    + "LocalWorker.javaCommand or jparallel.local.java)", st.detail());
            assertTrue(h.outputTail(5).contains(st.detail()), h.outputTail(5));
            assertTrue(h.description().contains("not started"), h.description());
            h.stop(); // must not throw
        }
    }

    @Test
    void missingWorkingDirectoryFails() {
        WorkerHandle h = start(new LocalWorker().javaCommand("/bin/sh -c pwd sh")
                .workingDirectory(tmp.resolve("absent")), spec(1)).get(0);
        assertEquals(WorkerStatus.Phase.FAILED, h.status().phase());
        assertTrue(h.status().detail().contains("absent"), h.status().detail());
    }

    @Test
    void workingDirectoryIsUsed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("wd"));
        WorkerHandle h = start(new LocalWorker().javaCommand("/bin/sh -c pwd sh").workingDirectory(dir),
                spec(1)).get(0);
        awaitTerminal(h);
        assertEquals(dir.toRealPath().toString(), h.outputTail(1));
    }

    @Test
    void stopEndsProcessAndItsChildren() throws Exception {
        LocalProcessHandle h = (LocalProcessHandle) start(
                new LocalWorker().javaCommand("/bin/sh -c 'sleep 60; exit 0' sh"), spec(1)).get(0);
        ProcessHandle ph = ProcessHandle.of(h.pid()).orElseThrow();
        await("the sleep child", Duration.ofSeconds(10), () -> ph.children().findAny().isPresent());
        ProcessHandle child = ph.children().findAny().orElseThrow();
        assertEquals(WorkerStatus.running(), h.status());

        h.stop();
        assertFalse(ph.isAlive(), "worker still alive");
        assertFalse(child.isAlive(), "worker's child still alive");
        assertEquals(WorkerStatus.Phase.EXITED, h.status().phase());
        // SIGTERM sufficed (128 + 15), no SIGKILL (128 + 9) was needed: shown by the exit code, not by a clock
        assertEquals(143, h.status().exitCode(), "SIGTERM should suffice");
        h.stop(); // idempotent
    }

    @Test
    void stopKillsProcessIgnoringSigterm() throws Exception {
        LocalProcessHandle h = (LocalProcessHandle) start(new LocalWorker().javaCommand(
                "/bin/sh -c 'trap \"\" TERM; echo ready; while :; do sleep 0.1; done' sh"), spec(1)).get(0);
        await("the worker to trap SIGTERM", Duration.ofSeconds(10), () -> h.outputTail(1).equals("ready"));
        ProcessHandle ph = ProcessHandle.of(h.pid()).orElseThrow();
        h.stop();
        assertFalse(ph.isAlive(), "worker still alive after SIGKILL");
        assertEquals(WorkerStatus.Phase.EXITED, h.status().phase());
    }
}
