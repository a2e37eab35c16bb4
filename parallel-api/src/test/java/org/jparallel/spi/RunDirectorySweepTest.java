package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which run directories a later manager deletes: real directories in a temp dir, the processes and jobs told. */
class RunDirectorySweepTest {
    private static final RunOwner HERE = new RunOwner(100, 5_000, "vm", "boot-1", "pid:[1]");
    /** Process 200 runs, started at 7,000; 300 runs, started at 9,000 (a pid that a dead manager had before). */
    private static final RunOwner.Processes PROCESSES = pid -> pid == 200 ? Optional.of(7_000L)
            : pid == 300 ? Optional.of(9_000L) : Optional.empty();

    @TempDir
    Path parent;
    private final List<Collection<String>> asked = new ArrayList<>();

    private Path run(String name, RunOwner owner, String... jobs) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("secret"), "s3cret");
        if (owner != null) {
            Files.writeString(dir.resolve(RunOwner.FILE), owner.text());
        }
        for (String job : jobs) {
            Files.writeString(dir.resolve(RunDirectorySweep.JOBS), job + "\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        return dir;
    }

    private static RunOwner dead(long pid) {
        return new RunOwner(pid, 1_000, "vm", "boot-1", "pid:[1]");
    }

    private List<Path> sweep(Set<String> unended) {
        return RunDirectorySweep.sweep(parent, "slurm", HERE, PROCESSES, ids -> {
            asked.add(Set.copyOf(ids));
            return unended;
        });
    }

    @Test
    void aDeadManagersDirectoryGoesOnceItsJobsHaveEnded() throws Exception {
        Path noJobs = run("run-a", dead(400));
        Path ended = run("run-b", dead(401), "slurm 11", "slurm 12");
        Path running = run("run-c", dead(402), "slurm 13", "slurm 14");
        Path reused = run("run-d", dead(300), "slurm 15"); // its pid now names a later process
        List<Path> deleted = sweep(Set.of("14"));
        assertEquals(Set.of(noJobs, ended, reused), Set.copyOf(deleted));
        assertFalse(Files.exists(noJobs) || Files.exists(ended) || Files.exists(reused));
        assertTrue(Files.exists(running.resolve("secret")), "a dead manager's job still runs: kept");
        assertEquals(List.of(Set.of("11", "12", "13", "14", "15")), asked, "one status question for all");
    }

    @Test
    void aLiveOrUnprovenManagersDirectoryIsNeverTouched() throws Exception {
        List<Path> kept = List.of(
                run("run-live", new RunOwner(200, 7_000, "vm", "boot-1", "pid:[1]")),
                run("run-self", new RunOwner(100, 1, "vm", "boot-1", "pid:[1]")),
                run("run-other-host", new RunOwner(400, 1_000, "login2", "boot-1", "pid:[1]")),
                run("run-other-boot", new RunOwner(400, 1_000, "vm", "boot-0", "pid:[1]")),
                run("run-other-namespace", new RunOwner(400, 1_000, "vm", "boot-1", "pid:[2]")),
                run("run-unknown-start", new RunOwner(400, -1, "vm", "boot-1", "pid:[1]")),
                run("run-unknown-host", new RunOwner(400, 1_000, "", "boot-1", "pid:[1]")),
                run("run-no-owner", null),
                run("run-other-backend", dead(401), "slurm 11", "sge 12"));
        Files.writeString(run("run-bad-owner", null).resolve(RunOwner.FILE), "pid 12\nstart");
        Files.createDirectories(parent.resolve("not-a-run"));
        Files.writeString(parent.resolve("not-a-run").resolve(RunOwner.FILE), dead(400).text());
        assertEquals(List.of(), sweep(Set.of()));
        kept.forEach(d -> assertTrue(Files.exists(d.resolve("secret")), d + " was touched"));
        assertTrue(Files.exists(parent.resolve("run-bad-owner")) && Files.exists(parent.resolve("not-a-run")));
        assertEquals(List.of(), asked, "no dead manager with jobs of this backend: no question");
    }

    @Test
    void jobsThatCannotBeAskedAboutKeepTheirDirectory() throws Exception {
        Path noJobs = run("run-a", dead(400));
        Path withJobs = run("run-b", dead(401), "slurm 11");
        List<Path> deleted = RunDirectorySweep.sweep(parent, "slurm", HERE, PROCESSES, ids -> {
            throw new IOException("squeue: slurm_load_jobs error: Unable to contact slurm controller");
        });
        assertEquals(List.of(noJobs), deleted);
        assertTrue(Files.exists(withJobs.resolve("secret")));
    }

    @Test
    void aMissingParentIsNothingToDo() {
        assertEquals(List.of(), RunDirectorySweep.sweep(parent.resolve("none"), "slurm", HERE, PROCESSES, ids -> Set.of()));
    }

    @Test
    void anOwnerReadsBackAndTheRealProcessesTellThisJvmFromAnEndedOne() throws Exception {
        RunOwner self = RunOwner.current();
        assertEquals(Optional.of(self), RunOwner.parse(self.text()));
        assertEquals(Optional.empty(), RunOwner.parse("pid 1\nticks x\nhost vm\nboot b\npidns p\n"));
        Process p = new ProcessBuilder("sleep", "30").start();
        RunOwner child = new RunOwner(p.pid(), RunOwner.startTicksOf(p.pid()).orElse(-1L), self.host(), self.bootId(),
                self.pidNamespace());
        assertFalse(child.certainlyDead(self, RunOwner.Processes.system()), "a process that runs: " + child);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        p.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(self.certainlyDead(self, RunOwner.Processes.system()), "this JVM");
        ProcessHandle mavens = ProcessHandle.current().parent().orElseThrow();
        RunOwner parent = RunOwner.parse(new RunOwner(mavens.pid(), RunOwner.startTicksOf(mavens.pid()).orElseThrow(),
                self.host(), self.bootId(), self.pidNamespace()).text()).orElseThrow();
        assertFalse(parent.certainlyDead(self, RunOwner.Processes.system()), "Maven's JVM, which runs");
        if (!self.host().isEmpty() && !self.bootId().isEmpty() && !self.pidNamespace().isEmpty() && child.startTicks() >= 0) {
            assertTrue(child.certainlyDead(self, RunOwner.Processes.system()), "an ended process: " + child
                    + " " + Map.of("still", ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)));
        }
    }

    @Test
    void aLiveManagersStartIsReadExactlyWhateverTheWallClockDoes() {
        // the kernel's ticks since the boot, read twice: equal (the JDK's start instant moves with a clock step)
        long pid = ProcessHandle.current().pid();
        Optional<Long> first = RunOwner.startTicksOf(pid);
        assertTrue(first.isPresent() && first.get() >= 0, "read from /proc: " + first);
        assertEquals(first, RunOwner.startTicksOf(pid));
        RunOwner self = RunOwner.current();
        RunOwner sameButOneTickOff = new RunOwner(7, 1_000, self.host(), self.bootId(), self.pidNamespace());
        assertTrue(sameButOneTickOff.certainlyDead(self, p -> Optional.of(1_001L)), "a later process with its pid");
        assertFalse(sameButOneTickOff.certainlyDead(self, p -> Optional.of(1_000L)), "the same process");
    }
}
