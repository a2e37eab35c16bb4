package org.jparallel.slurm;

import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.CommandRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.ArrayJobScript;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.batch.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sbatch command line, the job script and the options, without a cluster. */
class CommandsTest {
    static final String SECRET = "s3cr3t-value";

    @TempDir
    Path dir;

    static LaunchSpec spec(List<Integer> ids, Path dir) {
        return new LaunchSpec(ids, "/opt/jdk/bin/java", List.of("-Xmx256m"), "/a.jar:/b b.jar", "org.jparallel.WorkerMain",
                null, 4711, List.of("10.0.0.5"), SECRET, dir.resolve("worker%d.out").toString());
    }

    /** @return the sbatch command the scheduler writes for this submission (the kit's {@code Submission}) */
    static List<String> sbatch(SlurmOptions o, List<Integer> ids, String outputPattern, Path script) {
        return o.scheduler().submitCommand(new Submission(ids, script, o.jobName(), outputPattern,
                o.directoryOrDefault(), o.options()));
    }

    /** @return the job script the kit writes for these options */
    static String script(SlurmOptions o, LaunchSpec s, RunDirectory run) {
        SlurmScheduler slurm = o.scheduler();
        return new ArrayJobScript("SlurmScheduler", slurm.taskIdVariable(), slurm.location()).text(s, run, slurm.directives());
    }

    @Test
    void sbatchLineHasTheArrayOfWorkerIdsOutputPerTaskAndTheOptions() throws Exception {
        SlurmOptions o = new SlurmOptions().partition("short").time("1:30:00").memory("4G").account("proj")
                .extraOptions("--qos=long --nice=10").jobName("my job").workingDirectory(Path.of("/work"));
        List<String> cmd = sbatch(o, List.of(3, 5, 6), "/out/w%d.log", Path.of("/run/job.sh"));
        assertEquals(List.of("sbatch", "--parsable", "--array=3,5-6", "--job-name=my_job", "--output=/out/w%a.log",
                "--chdir=/work", "--partition=short", "--time=1:30:00", "--mem=4G", "--account=proj", "--qos=long",
                "--nice=10", "/run/job.sh"), cmd);
        String plain = new SlurmWorkerArray(4, new SlurmOptions().sbatchCommand("/usr/bin/sbatch -M c1").output("/out/log")
                .secretDir(dir.resolve("s"))).dryRunText(spec(List.of(1, 2, 3, 4), dir));
        assertTrue(plain.startsWith("sbatch command: /usr/bin/sbatch -M c1 --parsable --array=1-4 --job-name=jparallel"
                + " --output=/out/log.%a "), plain);
    }

    @Test
    void workersWithTwoSlotsAskForTwoCpusPerTaskAndAreTold() throws Exception {
        SlurmOptions o = new SlurmOptions().dryRun(true).output("/o/log").slots("2").secretDir(dir.resolve("s"));
        SlurmWorkerArray g = new SlurmWorkerArray(1, o);
        assertEquals("2", g.slots());
        String d = g.start(spec(List.of(7), dir)).get(0).status().detail();
        assertTrue(d.contains(" --cpus-per-task=2 "), d);
        assertTrue(d.contains("--slots 2"), d);
    }

    @Test
    void outputPatternBecomesSlurmsWithOtherPercentSignsEscaped() throws Exception {
        assertEquals("/o/w%a.out", SlurmScheduler.slurmOutputPath("/o/w%d.out"));
        assertEquals("/o/100%%/w%a-%%j", SlurmScheduler.slurmOutputPath("/o/100%/w%d-%j"));
        List<WorkerHandle> hs = new SlurmWorkerArray(1, new SlurmOptions().dryRun(true).output("/o/log")
                .secretDir(dir.resolve("s"))).start(spec(List.of(7), dir));
        assertTrue(hs.get(0).status().detail().contains(" --output=/o/log.%a "), hs.get(0).status().detail());
        assertEquals("/o/log.7", hs.get(0).logLocation());
        hs = new SlurmWorkerArray(1, new SlurmOptions().dryRun(true).output("/o/w%d.out").secretDir(dir.resolve("s")))
                .start(spec(List.of(7), dir));
        assertEquals("/o/w7.out", hs.get(0).logLocation());
    }

    @Test
    void jobScriptRunsTheWorkerOfItsTaskIdWithTheSecretFileAndNeverTheSecret() throws Exception {
        LaunchSpec s = spec(List.of(1, 2), dir);
        Path secrets = dir.resolve("secrets");
        RunDirectory run = RunDirectory.create(secrets, s);
        SlurmOptions o = new SlurmOptions().sbatchLines("--qos=long; #SBATCH --gres=gpu:1\n--comment='a b'");
        String text = script(o, s, run);
        assertTrue(text.startsWith("#!/bin/sh\n#SBATCH --qos=long\n#SBATCH --gres=gpu:1\n#SBATCH --comment='a b'\n"), text);
        assertFalse(text.contains(SECRET), text);
        assertTrue(text.contains("--secret-file " + run.secretFile()), text);
        assertTrue(text.contains("--id \"$id\""), text);
        assertTrue(text.contains("'/a.jar:/b b.jar'"), text);
        assertEquals(SECRET, Files.readString(run.secretFile()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.secretFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));

        Path script = run.writeScript("job.sh", text);
        assertEquals(0, sh(script, Map.of(), "-n").exitCode(), "sh -n accepts the script");
        CommandRunner.Result wrong = sh(script, Map.of("SLURM_ARRAY_TASK_ID", "9"));
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.stderr().contains("SLURM_ARRAY_TASK_ID is '9'; this job runs workers 1 2"), wrong.stderr());
        Files.delete(run.secretFile());
        CommandRunner.Result gone = sh(script, Map.of("SLURM_ARRAY_TASK_ID", "2"));
        assertEquals(0, gone.exitCode());
        assertTrue(gone.stdout().contains("worker 2 not started: the manager has finished"), gone.stdout());
        run.delete();
        assertFalse(Files.exists(run.path()));
    }

    @Test
    void jobScriptRecordsTheWorkersExitCode() throws Exception {
        LaunchSpec s = spec(List.of(4), dir).withJavaCommand("/bin/sh -c 'exit 7' --");
        RunDirectory run = RunDirectory.create(dir.resolve("secrets"), s);
        Path script = run.writeScript("job.sh", script(new SlurmOptions(), s, run));
        CommandRunner.Result r = sh(script, Map.of("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_JOB_ID", "99"));
        assertEquals(7, r.exitCode(), r.both());
        assertTrue(r.stdout().contains("jparallel: worker 4 in Slurm job 99_4 on "), r.stdout());
        assertEquals(java.util.Optional.of(7), run.exitCode(4));
    }

    @Test
    void backendKeysAndSettings() {
        SlurmBackend b = new SlurmBackend();
        assertEquals("slurm", b.name());
        List<String> names = b.configKeys().stream().map(k -> k.name()).toList();
        assertEquals(List.of("partition", "time", "memory", "account", "sbatch-lines", "job-name", "options", "output",
                "dry-run", "secret-dir", "java", "jvm-options", "classpath", "host", "slots", "directory", "sbatch", "squeue",
                "scancel", "sacct"), names);
        SlurmOptions o = SlurmBackend.options(BackendSettings.of("slurm", Map.of("partition", "debug", "time", "10", "memory", "512M",
                "sbatch-lines", "--qos=a;--nice=1", "dry-run", "true", "secret-dir", "~/x", "jvm-options", "-Xmx1g -Da=b")));
        assertEquals("debug", o.scheduler().partition());
        assertEquals("10", o.scheduler().time());
        assertEquals(List.of("#SBATCH --qos=a", "#SBATCH --nice=1"), o.scheduler().directives());
        assertTrue(o.dryRun());
        assertEquals(Path.of(System.getProperty("user.home"), "x"), o.secretDirOrDefault("slurm"));
        assertEquals(List.of("-Xmx1g", "-Da=b"), o.applyTo(spec(List.of(1), dir)).jvmOptions());
        assertFalse(o.scheduler().historyCommand("8").isEmpty());
        assertEquals(List.of(), SlurmBackend.options(BackendSettings.of("slurm", Map.of("sacct", "none"))).scheduler().historyCommand("8"),
                "sacct=none never asks sacct");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlurmBackend.options(BackendSettings.of("slurm", Map.of("time", "2 hours"))));
        assertTrue(e.getMessage().contains("jparallel.slurm.time"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlurmBackend.options(BackendSettings.of("slurm", Map.of("memory", "4 GB"))));
        assertTrue(java.util.ServiceLoader.load(org.jparallel.spi.WorkerBackend.class).stream()
                .anyMatch(p -> p.type() == SlurmBackend.class), "registered in META-INF/services");
    }

    @Test
    void sbatchNotOnThePathNamesThePathAndTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CommandRunner.resolve("no-such-sbatch-xyz", "Slurm", "jparallel.slurm.sbatch", "install the Slurm client"));
        assertTrue(e.getMessage().contains("\"no-such-sbatch-xyz\" is not on the PATH (searched "), e.getMessage());
        assertTrue(e.getMessage().contains(System.getenv("PATH").split(":")[0]), e.getMessage());
        assertTrue(e.getMessage().contains("jparallel.slurm.sbatch"), e.getMessage());
    }

    private static CommandRunner.Result sh(Path script, Map<String, String> env, String... shArgs) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/sh"));
        cmd.addAll(List.of(shArgs));
        cmd.add(script.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new CommandRunner.Result(p.waitFor(), out, err);
    }
}
