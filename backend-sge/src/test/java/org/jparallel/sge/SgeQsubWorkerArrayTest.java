package org.jparallel.sge;

import org.jparallel.spi.CommandRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The qsub group against a fake cluster answering with captured output. */
class SgeQsubWorkerArrayTest {
    private static final String SECRET = "s3cr3t-Xyz";

    @TempDir
    Path dir;

    /** Answers qsub, qstat -xml, qstat -j and qdel; records every command. */
    static final class FakeCluster implements CommandRunner {
        final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> qstatXml = new AtomicReference<>(empty());
        String qsubOut = "42.5-8:1\n";

        @Override
        public Result run(List<String> command, String stdin, long timeoutMillis) {
            commands.add(command);
            if (command.get(0).endsWith("qsub") || command.get(0).endsWith("true")) {
                return new Result(0, qsubOut, "");
            }
            if (command.get(0).endsWith("qstat") && command.contains("-j")) {
                return new Result(0, "job_number: 42\nerror reason    6:      11/24/2026 21:18:31 [0:1]: error: "
                        + "can't open output file \"/x/y\": No such file or directory\n", "");
            }
            if (command.get(0).endsWith("qstat")) {
                return new Result(0, qstatXml.get(), "");
            }
            return new Result(0, "", "");
        }

        long count(String tool) {
            return commands.stream().filter(c -> c.get(0).endsWith(tool)).count();
        }
    }

    static String empty() {
        return "<?xml version='1.0'?><job_info><queue_info></queue_info><job_info></job_info></job_info>";
    }

    static String xml(String... jobs) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?><job_info><queue_info>");
        for (String j : jobs) {
            String[] f = j.split(" "); // job state tasks
            sb.append("<job_list><JB_job_number>").append(f[0]).append("</JB_job_number><JB_name>x</JB_name><state>")
                    .append(f[1]).append("</state><tasks>").append(f[2]).append("</tasks></job_list>");
        }
        return sb.append("</queue_info><job_info></job_info></job_info>").toString();
    }

    private LaunchSpec spec(List<Integer> ids) {
        return new LaunchSpec(ids, "/usr/bin/java", List.of("-Xmx64m"), "/a.jar:/b c.jar", "org.jparallel.W", null,
                4711, List.of("192.0.2.2"), SECRET, dir.resolve("out/worker%d.log").toString());
    }

    private SgeQsubWorkerArray group(FakeCluster fake, SgeOptions o) {
        return new SgeQsubWorkerArray(4, o.qsubCommand("/bin/true").secretDir(dir.resolve("secrets")), fake, 0);
    }

    @Test
    void oneArrayJobWhoseTaskIdsAreTheWorkerIdsWithTheSecretOnlyInAPrivateFile() throws Exception {
        FakeCluster fake = new FakeCluster();
        List<WorkerHandle> hs = group(fake, new SgeOptions().jobName("my job").queue("all.q").resources("h_vmem=1G")
                .parallelEnvironment("smp 1").extraOptions("-P proj")).start(spec(List.of(5, 6, 7, 8)));
        assertEquals(4, hs.size());
        assertEquals(1, fake.count("true"));
        List<String> qsub = fake.commands.get(0);
        String line = String.join(" ", qsub);
        assertTrue(line.startsWith("/bin/true -terse -N my_job -t 5-8 -S /bin/sh -b n -j y -o "
                + dir.resolve("out/worker$TASK_ID.log") + " -wd "), line);
        assertTrue(line.contains(" -q all.q -l h_vmem=1G -pe smp 1 -P proj "), line);
        assertFalse(line.contains(SECRET), "no secret on the qsub line");
        Path script = Path.of(qsub.get(qsub.size() - 1));
        String text = Files.readString(script);
        assertTrue(text.startsWith("#!/bin/sh\n"), text);
        assertFalse(text.contains(SECRET), "no secret in the job script");
        assertTrue(text.contains("--id \"$id\" --secret-file "), text);
        assertTrue(text.contains("'/a.jar:/b c.jar'"), text);
        Path run = script.getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("secret"))));
        assertEquals(SECRET, Files.readString(run.resolve("secret")));
        assertEquals(dir.resolve("out/worker6.log").toString(), hs.get(1).logLocation());
        assertTrue(hs.get(0).description().contains("job 42.5"), hs.get(0).description());
    }

    @Test
    void theOutputDirectoryIsMadeBeforeQsubWhichWouldHoldTheJobInEqwWithoutIt() throws Exception {
        FakeCluster fake = new FakeCluster();
        assertFalse(Files.exists(dir.resolve("out")));
        group(fake, new SgeOptions()).start(spec(List.of(1, 2)));
        assertTrue(Files.isDirectory(dir.resolve("out")), "the -o directory exists when qsub runs");
        assertTrue(String.join(" ", fake.commands.get(0)).contains(" -o " + dir.resolve("out/worker$TASK_ID.log") + " "),
                fake.commands.get(0).toString());
    }

    @Test
    void jobScriptMapsTaskIdsRunsTheWorkerAndRecordsItsExitCode() throws Exception {
        FakeCluster fake = new FakeCluster();
        LaunchSpec s = new LaunchSpec(List.of(5, 6), "/bin/echo", List.of(), "cp", "Main", "h", 1, List.of(), SECRET,
                dir.resolve("w%d").toString());
        group(fake, new SgeOptions()).start(s);
        List<String> qsub = fake.commands.get(0);
        Path script = Path.of(qsub.get(qsub.size() - 1));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
        pb.environment().put("SGE_TASK_ID", "6");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("-cp cp Main --connect h:1 --id 6 --secret-file " + script.getParent().resolve("secret")),
                out);
        assertEquals("0", Files.readString(script.getParent().resolve("exit.6")).strip());
        pb.environment().put("SGE_TASK_ID", "9");
        p = pb.start();
        assertEquals(2, p.waitFor(), "a task id this job does not run");
        Files.delete(script.getParent().resolve("secret"));
        pb.environment().put("SGE_TASK_ID", "5");
        p = pb.start();
        assertTrue(new String(p.getInputStream().readAllBytes()).contains("the manager has finished"));
        assertEquals(0, p.waitFor(), "a task starting after the manager finished exits quietly");
    }

    @Test
    void statusFromOneThrottledQstatPendingRunningErrorExitedVanished() throws Exception {
        FakeCluster fake = new FakeCluster();
        SgeQsubWorkerArray g = new SgeQsubWorkerArray(4, new SgeOptions().qsubCommand("/bin/true")
                .secretDir(dir.resolve("secrets")), fake, 60_000);
        fake.qstatXml.set(xml("42 r 5", "42 Eqw 6", "42 qw 7-8:1"));
        List<WorkerHandle> hs = g.start(spec(List.of(5, 6, 7, 8)));
        for (int i = 0; i < 50; i++) {
            hs.forEach(WorkerHandle::status);
        }
        assertEquals(1, fake.commands.stream().filter(c -> c.contains("-xml")).count(), "one qstat for all");
        assertEquals(WorkerStatus.Phase.RUNNING, hs.get(0).status().phase());
        WorkerStatus err = hs.get(1).status();
        assertEquals(WorkerStatus.Phase.FAILED, err.phase());
        assertTrue(err.detail().startsWith("Grid Engine job 42.6 (jparallel) is in state Eqw: 11/24/2026"), err.detail());
        assertTrue(err.detail().contains("can't open output file"), err.detail());
        assertEquals(WorkerStatus.Phase.PENDING, hs.get(2).status().phase());

        g = new SgeQsubWorkerArray(2, new SgeOptions().qsubCommand("/bin/true").secretDir(dir.resolve("secrets")),
                fake, 0);
        fake.qsubOut = "43.5-6:1";
        fake.qstatXml.set(empty());
        hs = g.start(spec(List.of(5, 6)));
        Path run = Path.of(fake.commands.get(fake.commands.size() - 1).get(
                fake.commands.get(fake.commands.size() - 1).size() - 1)).getParent();
        Files.writeString(run.resolve("exit.5"), "4\n");
        assertEquals(new WorkerStatus(WorkerStatus.Phase.EXITED, 4, ""), strip(hs.get(0).status()));
        hs.get(1).status();
        WorkerStatus gone = hs.get(1).status();
        assertEquals(WorkerStatus.Phase.FAILED, gone.phase());
        assertTrue(gone.detail().contains("43.6") && gone.detail().contains("left the queue"), gone.detail());
    }

    private static WorkerStatus strip(WorkerStatus s) {
        return new WorkerStatus(s.phase(), s.exitCode(), "");
    }

    @Test
    void stopsAreBatchedIntoOneQdelAndDeleteTheSecret() throws Exception {
        FakeCluster fake = new FakeCluster();
        List<WorkerHandle> hs = group(fake, new SgeOptions()).start(spec(List.of(5, 6, 7, 8)));
        Path run = dir.resolve("secrets").toFile().listFiles()[0].toPath();
        List<Thread> ts = new ArrayList<>();
        for (WorkerHandle h : hs) {
            Thread t = new Thread(h::stop);
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        hs.forEach(WorkerHandle::stop); // idempotent
        List<List<String>> qdels = fake.commands.stream().filter(c -> c.get(0).equals("qdel")).toList();
        assertEquals(List.of(List.of("qdel", "42.5-8")), qdels);
        assertFalse(Files.exists(run), "the run's directory and secret are deleted once every worker stopped");
    }

    @Test
    void replacementIsAOneTaskJob() throws Exception {
        FakeCluster fake = new FakeCluster();
        fake.qsubOut = "44.9-9:1";
        List<WorkerHandle> hs = group(fake, new SgeOptions()).start(spec(List.of(9)));
        assertTrue(String.join(" ", fake.commands.get(0)).contains(" -t 9-9 "));
        assertEquals(9, hs.get(0).workerId());
        assertTrue(hs.get(0).description().contains("job 44.9"));
    }

    @Test
    void qsubNotOnThePathNamesThePathAndTheKey() {
        SgeQsubWorkerArray g = new SgeQsubWorkerArray(1, new SgeOptions().qsubCommand("no-such-qsub-xyz")
                .secretDir(dir));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.start(spec(List.of(1))));
        assertTrue(e.getMessage().contains("\"no-such-qsub-xyz\" is not on the PATH (searched "), e.getMessage());
        assertTrue(e.getMessage().contains(System.getenv("PATH")), e.getMessage());
        assertTrue(e.getMessage().contains("jparallel.sge.qsub"), e.getMessage());
    }

    @Test
    void dryRunSubmitsNothingAndShowsScriptAndCommand() throws Exception {
        FakeCluster fake = new FakeCluster();
        SgeQsubWorkerArray g = new SgeQsubWorkerArray(2, new SgeOptions().dryRun(true).qsubCommand("qsub-not-installed")
                .secretDir(dir.resolve("secrets")), fake, 0);
        List<WorkerHandle> hs = g.start(spec(List.of(1, 2)));
        assertEquals(0, fake.commands.size());
        String d = hs.get(0).status().detail();
        assertTrue(d.contains("qsub command: qsub-not-installed -terse -N jparallel -t 1-2 -S /bin/sh"), d);
        assertTrue(d.contains("#!/bin/sh"), d);
        assertFalse(d.contains(SECRET));
        assertTrue(g.dryRunText(spec(List.of(1, 2))).contains("job script"));
    }

    @Test
    void workersWithTwoSlotsAreSubmittedWithTheSmpParallelEnvironmentForTwoCoresAndTold() throws Exception {
        SgeQsubWorkerArray g = new SgeQsubWorkerArray(2, new SgeOptions().dryRun(true).qsubCommand("qsub").slots("2")
                .secretDir(dir.resolve("secrets")), new FakeCluster(), 0);
        assertEquals("2", g.slots());
        String d = g.start(spec(List.of(1, 2))).get(0).status().detail();
        assertTrue(d.contains(" -pe smp 2 "), d);
        assertTrue(d.contains("--slots 2"), "the worker runs 2 tasks at once: " + d);
        String one = new SgeQsubWorkerArray(2, new SgeOptions().dryRun(true).qsubCommand("qsub")
                .secretDir(dir.resolve("secrets")), new FakeCluster(), 0).start(spec(List.of(1, 2))).get(0).status().detail();
        assertFalse(one.contains("-pe") || one.contains("--slots"), one);
    }

    @Test
    void qsubFailureFailsEveryWorkerWithQsubsMessage() throws Exception {
        CommandRunner refusing = (c, in, t) -> new CommandRunner.Result(1, "",
                "Unable to run job: Job was rejected because job requests unknown queue \"nope\".");
        SgeQsubWorkerArray g = new SgeQsubWorkerArray(2, new SgeOptions().qsubCommand("/bin/true")
                .secretDir(dir), refusing, 0);
        List<WorkerHandle> hs = g.start(spec(List.of(1, 2)));
        assertTrue(hs.get(1).status().detail().contains("unknown queue \"nope\""), hs.get(1).status().detail());
    }

    @Test
    void backendDeclaresItsKeysAndBuildsOptions() {
        SgeBackend b = new SgeBackend();
        assertEquals("sge", b.name());
        List<String> keys = b.configKeys().stream().map(k -> k.name()).toList();
        assertTrue(keys.containsAll(List.of("queue", "resources", "pe", "job-name", "options", "output", "submit",
                "qsub", "qstat", "qdel", "dry-run", "secret-dir")), keys.toString());
        SgeOptions o = SgeBackend.options(org.jparallel.spi.BackendSettings.of("sge", java.util.Map.of("submit", "drmaa", "queue", "all.q", "secret-dir", "~/x")));
        assertEquals(SgeOptions.Submit.DRMAA, o.submit());
        assertEquals(Path.of(System.getProperty("user.home"), "x"), o.secretDirOrDefault());
        assertThrows(IllegalArgumentException.class, () -> SgeBackend.options(org.jparallel.spi.BackendSettings.of("sge", java.util.Map.of("submit", "pbs"))));
        assertEquals(SgeBackend.class, java.util.ServiceLoader.load(org.jparallel.spi.WorkerBackend.class).stream()
                .map(java.util.ServiceLoader.Provider::type).filter(t -> t == SgeBackend.class).findFirst().orElseThrow());
    }

    @Test
    void jobNameCharactersGridEngineForbidsBecomeUnderscoresFromCodeAndConfiguration() throws Exception {
        assertEquals("a_b_c_d_e", new SgeOptions().jobName("a/b:c@d e").jobName());
        assertEquals("a_b_c", SgeBackend.options(org.jparallel.spi.BackendSettings.of("sge", java.util.Map.of("job-name", "a/b*c"))).jobName());
        FakeCluster fake = new FakeCluster();
        List<WorkerHandle> hs = group(fake, new SgeOptions().jobName("x?y\\z")).start(spec(List.of(5)));
        assertTrue(String.join(" ", fake.commands.get(0)).contains(" -N x_y_z "), fake.commands.get(0).toString());
        assertTrue(hs.get(0).description().contains("x_y_z"), hs.get(0).description());
    }

    @Test
    void drmaaMissingNamesTheJarAndTheLibrary() {
        String m = DrmaaSubmitter.missing("x");
        assertTrue(m.contains("/usr/share/java/drmaa.jar") && m.contains("libdrmaa")
                && m.contains("LD_LIBRARY_PATH") && m.contains("GLIBC_TUNABLES"), m);
    }

    @Test
    void aStaleOutputFileIsDeletedBeforeQsubAndNeverQuotedForARefusedSubmission() throws Exception {
        Path stale = dir.resolve("out/worker5.log");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "slurmstepd: error: an earlier run's line\n");
        FakeCluster fake = new FakeCluster();
        List<Boolean> staleAtQsub = new ArrayList<>();
        CommandRunner refusing = (command, stdin, timeout) -> {
            staleAtQsub.add(Files.exists(stale));
            return new CommandRunner.Result(1, "", "Unable to run job: Job was rejected because job requests unknown "
                    + "queue \"nosuch.q\".");
        };
        List<WorkerHandle> hs = new SgeQsubWorkerArray(1, new SgeOptions().qsubCommand("/bin/true").queue("nosuch.q")
                .secretDir(dir.resolve("secrets")), refusing, 0).start(spec(List.of(5)));
        assertEquals(WorkerStatus.Phase.FAILED, hs.get(0).status().phase());
        assertTrue(hs.get(0).status().detail().contains("unknown queue"), hs.get(0).status().detail());
        assertEquals("", hs.get(0).outputTail(10), "no line of an earlier run is quoted as this worker's");
        assertEquals(List.of(false), staleAtQsub, "the stale file was gone when qsub ran");

        Files.writeString(stale, "stale again\n");
        group(fake, new SgeOptions()).start(spec(List.of(5)));
        assertFalse(Files.exists(stale), "deleted before a submission too: Grid Engine appends to it");
    }
}
