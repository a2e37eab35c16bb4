package org.jparallel.slurm;

import org.jparallel.spi.CommandRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group and its handles against a fake cluster that answers with captured output. */
class SlurmWorkerArrayTest {

    @TempDir
    Path dir;

    /** Records every command; answers by the command's first word. */
    static final class FakeCluster implements CommandRunner {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        volatile Function<List<String>, Result> answer;

        FakeCluster(Function<List<String>, Result> answer) {
            this.answer = answer;
        }

        @Override
        public Result run(List<String> command, String stdin, long timeoutMillis) {
            calls.add(List.copyOf(command));
            return answer.apply(command);
        }

        long count(String tool) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.get(0).endsWith(tool)).count();
            }
        }

        List<String> last(String tool) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.get(0).endsWith(tool)).reduce((a, b) -> b).orElseThrow();
            }
        }
    }

    static CommandRunner.Result ok(String out) {
        return new CommandRunner.Result(0, out, "");
    }

    /** A clock that advances on every reading: a view is always taken after the submission. */
    private final AtomicLong clock = new AtomicLong();

    private SlurmWorkerArray group(int n, FakeCluster fake, SlurmOptions o) {
        return new SlurmWorkerArray(n, o.sbatchCommand("/bin/true").secretDir(dir.resolve("secrets")), fake,
                clock::incrementAndGet, 60_000);
    }

    @Test
    void theOutputDirectoryIsMadeBeforeSbatchWhichFailsAJobWhoseOutputDirectoryIsMissing() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> cmd.get(0).equals("/bin/true") ? ok("4\n") : ok(""));
        Path logs = dir.resolve("logs/run");
        group(2, fake, new SlurmOptions().output(logs.resolve("w%d.log").toString()))
                .start(CommandsTest.spec(List.of(1, 2), dir));
        assertTrue(Files.isDirectory(logs), "the --output directory exists when sbatch runs");
        assertTrue(fake.last("true").contains("--output=" + logs.resolve("w%a.log")), fake.last("true").toString());
    }

    @Test
    void submitsOneArrayWhoseTaskIdsAreTheWorkerIdsAndAsksSqueueOnceForAll() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> switch (cmd.get(0)) {
            case "/bin/true" -> ok("4\n");
            case "squeue" -> ok("4_1|RUNNING|None\n4_2|RUNNING|None\n4_3|PENDING|Resources\n4_4|PENDING|Priority\n");
            case "sacct" -> new CommandRunner.Result(1, "", "Slurm accounting storage is disabled\n");
            default -> ok("");
        });
        SlurmWorkerArray g = group(4, fake, new SlurmOptions().partition("debug"));
        List<WorkerHandle> hs = g.start(CommandsTest.spec(List.of(1, 2, 3, 4), dir));
        assertEquals(4, hs.size());
        List<String> sbatch = fake.last("true");
        assertTrue(sbatch.contains("--array=1-4") && sbatch.contains("--partition=debug"), sbatch.toString());
        assertFalse(String.join(" ", sbatch).contains(CommandsTest.SECRET), "no secret on the command line");
        for (int round = 0; round < 10; round++) {
            assertEquals(WorkerStatus.Phase.RUNNING, hs.get(0).status().phase());
            assertEquals(WorkerStatus.Phase.RUNNING, hs.get(1).status().phase());
            WorkerStatus p = hs.get(2).status();
            assertEquals(WorkerStatus.Phase.PENDING, p.phase());
            assertEquals("Slurm job 4_3 is PENDING (Resources)", p.detail());
        }
        assertEquals(1, fake.count("squeue"), "one throttled squeue for every status call: " + fake.calls);
        List<String> sq = fake.last("squeue");
        assertEquals(List.of("squeue", "-h", "-r", "-t", "all", "-j", "4", "-o", "%i|%T|%r"), sq);
        assertEquals("Slurm worker 3 (job 4_3, jparallel)", hs.get(2).description());
        assertEquals(dir.resolve("worker3.out").toString(), hs.get(2).logLocation());

        // stop: one batched scancel for all four; the secret's directory goes with the last worker
        Path secrets = dir.resolve("secrets");
        assertEquals(1, Files.list(secrets).count());
        CountDownLatch done = new CountDownLatch(4);
        for (WorkerHandle h : hs) {
            new Thread(() -> {
                h.stop();
                done.countDown();
            }).start();
        }
        done.await();
        hs.get(0).stop();
        assertEquals(1, fake.count("scancel"), fake.calls.toString());
        assertEquals(List.of("scancel", "4_[1-4]"), fake.last("scancel"));
        assertEquals(0, Files.list(secrets).count(), "run directory deleted after the last stop");
        assertEquals(WorkerStatus.Phase.FAILED, hs.get(3).status().phase());
    }

    @Test
    void heldTaskFailsAtOnceWithTheReasonAndIsCancelled() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> switch (cmd.get(0)) {
            case "/bin/true" -> ok("5\n");
            case "squeue" -> ok(Captured.text("squeue-mixed.txt"));
            default -> ok("");
        });
        List<WorkerHandle> hs = group(3, fake, new SlurmOptions().extraOptions("--hold"))
                .start(CommandsTest.spec(List.of(3, 5, 6), dir));
        assertTrue(fake.last("true").contains("--array=3,5-6"));
        WorkerStatus s = hs.get(1).status();
        assertEquals(WorkerStatus.Phase.FAILED, s.phase());
        assertTrue(s.detail().startsWith("Slurm job 5_5 (jparallel) is PENDING with reason JobHeldUser: it is held"),
                s.detail());
        assertTrue(s.detail().contains("scontrol release 5"), s.detail());
        long t0 = System.nanoTime();
        while (fake.count("scancel") == 0 && System.nanoTime() - t0 < 5_000_000_000L) {
            Thread.sleep(20);
        }
        assertTrue(fake.last("scancel").get(1).startsWith("5_"), fake.calls.toString());
    }

    @Test
    void endedTasksReportStateReasonAndExitCode() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> switch (cmd.get(0)) {
            case "/bin/true" -> ok("7\n");
            case "squeue" -> ok("7_1|FAILED|NonZeroExitCode\n7_2|TIMEOUT|TimeLimit\n7_3|OUT_OF_MEMORY|OutOfMemory\n"
                    + "7_4|CANCELLED|None\n7_5|FAILED|NonZeroExitCode\n");
            default -> ok("");
        });
        List<WorkerHandle> hs = group(5, fake, new SlurmOptions()).start(CommandsTest.spec(List.of(1, 2, 3, 4, 5), dir));
        Path run = Files.list(dir.resolve("secrets")).findFirst().orElseThrow();
        Files.writeString(run.resolve("exit.1"), "3\n");
        WorkerStatus failed = hs.get(0).status();
        assertEquals(new WorkerStatus(WorkerStatus.Phase.EXITED, 3,
                "Slurm job 7_1 (jparallel) FAILED, reason NonZeroExitCode; its worker exited with code 3"), failed);
        assertTrue(hs.get(1).status().detail().contains("reached its time limit (TIMEOUT, reason TimeLimit); raise it with jparallel.slurm.time"));
        assertTrue(hs.get(2).status().detail().contains("ran out of memory (OUT_OF_MEMORY, reason OutOfMemory)"));
        assertTrue(hs.get(3).status().detail().contains("was cancelled outside this manager (CANCELLED)"));
        WorkerStatus noCode = hs.get(4).status();
        assertEquals(WorkerStatus.Phase.FAILED, noCode.phase());
        assertTrue(noCode.detail().contains("before its worker recorded an exit code"), noCode.detail());
    }

    @Test
    void taskThatLeftSqueueUsesSacctThenTheExitCodeFile() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> switch (cmd.get(0)) {
            case "/bin/true" -> ok("8;other\n");
            case "squeue" -> new CommandRunner.Result(1, "", Captured.text("squeue-invalid-id.stderr.txt"));
            case "sacct" -> ok("8_1|TIMEOUT|0:0|TimeLimit\n");
            default -> ok("");
        });
        SlurmWorkerArray g = new SlurmWorkerArray(2, new SlurmOptions().sbatchCommand("/bin/true")
                .secretDir(dir.resolve("secrets")), fake, clock::incrementAndGet, 0);
        List<WorkerHandle> hs = g.start(CommandsTest.spec(List.of(1, 2), dir));
        assertTrue(hs.get(0).status().detail().contains("Slurm job 8_1 (jparallel) reached its time limit"));
        assertEquals(List.of("sacct", "-n", "-P", "-X", "-j", "8", "-o", "JobID,State,ExitCode,Reason"), fake.last("sacct"));
        // worker 2: sacct does not know it; without an exit code file it is gone after two snapshots
        assertEquals(WorkerStatus.Phase.PENDING, hs.get(1).status().phase());
        WorkerStatus gone = hs.get(1).status();
        assertEquals(WorkerStatus.Phase.FAILED, gone.phase());
        assertTrue(gone.detail().contains("left the queue without its worker connecting"), gone.detail());
    }

    @Test
    void failedSbatchFailsEveryWorkerWithItsMessage() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> new CommandRunner.Result(1, "",
                Captured.text("sbatch-invalid-partition.stderr.txt")));
        List<WorkerHandle> hs = group(2, fake, new SlurmOptions().partition("nosuch"))
                .start(CommandsTest.spec(List.of(1, 2), dir));
        for (WorkerHandle h : hs) {
            WorkerStatus s = h.status();
            assertEquals(WorkerStatus.Phase.FAILED, s.phase());
            assertTrue(s.detail().startsWith("sbatch failed with exit code 1: sbatch: error: invalid partition specified: nosuch"),
                    s.detail());
            assertTrue(s.detail().contains("--partition=nosuch"), s.detail());
            h.stop();
        }
        assertEquals(0, Files.list(dir.resolve("secrets")).count());
        assertEquals(0, fake.count("squeue"));
    }

    @Test
    void dryRunSubmitsNothingAndShowsScriptAndCommand() throws Exception {
        FakeCluster fake = new FakeCluster(cmd -> ok(""));
        SlurmWorkerArray g = group(2, fake, new SlurmOptions().dryRun(true).time("5").sbatchLines("--qos=x"));
        String text = g.dryRunText(CommandsTest.spec(List.of(1, 2), dir));
        assertTrue(text.startsWith("sbatch command: /bin/true --parsable --array=1-2 --job-name=jparallel --output="), text);
        assertTrue(text.contains("--time=5"), text);
        assertTrue(text.contains("#!/bin/sh\n#SBATCH --qos=x\n"), text);
        List<WorkerHandle> hs = g.start(CommandsTest.spec(List.of(1, 2), dir));
        assertTrue(hs.get(0).status().detail().startsWith("dry run (jparallel.slurm.dry-run=true), nothing submitted."));
        assertTrue(fake.calls.isEmpty(), fake.calls.toString());
        assertFalse(text.contains(CommandsTest.SECRET));
    }

    @Test
    void missingSbatchIsAnErrorNamingThePathAndKey() {
        SlurmWorkerArray g = new SlurmWorkerArray(1, new SlurmOptions().sbatchCommand("no-sbatch-here")
                .secretDir(dir.resolve("s")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> g.start(CommandsTest.spec(List.of(1), dir)));
        assertTrue(e.getMessage().contains("PATH (searched") && e.getMessage().contains("jparallel.slurm.sbatch"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlurmWorkerArray(0));
    }

    @Test
    void compactsScancelArgumentsPerJob() {
        var byJob = new java.util.LinkedHashMap<String, List<Integer>>();
        byJob.put("4", List.of(1, 2, 5));
        byJob.put("9", List.of(3));
        byJob.put("8", List.of(-1));
        assertEquals(List.of("scancel", "4_[1-2,5]", "9_3", "8"), new SlurmScheduler().cancelCommand(byJob));
    }

    @Test
    void aStaleOutputFileIsDeletedBeforeSbatchAndNeverQuotedForARefusedSubmission() throws Exception {
        Path stale = dir.resolve("worker1.out");
        Files.writeString(stale, "an earlier Grid Engine run's line\n");
        List<Boolean> staleAtSbatch = new ArrayList<>();
        FakeCluster fake = new FakeCluster(cmd -> {
            staleAtSbatch.add(Files.exists(stale));
            return new CommandRunner.Result(1, "", "sbatch: error: invalid partition specified: nosuch");
        });
        List<WorkerHandle> hs = group(1, fake, new SlurmOptions()).start(CommandsTest.spec(List.of(1), dir));
        assertEquals(WorkerStatus.Phase.FAILED, hs.get(0).status().phase());
        assertEquals("", hs.get(0).outputTail(10), "no line of an earlier run is quoted as this worker's");
        assertEquals(List.of(false), staleAtSbatch, "the stale file was gone when sbatch ran");
    }
}
