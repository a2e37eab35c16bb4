package org.jparallel.slurm;

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
import org.jparallel.spi.LaunchSpec;
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

    @Test
    void sbatchLineHasTheArrayOfWorkerIdsOutputPerTaskAndTheOptions() {
        SlurmOptions o = new SlurmOptions().partition("short").time("1:30:00").memory("4G").account("proj")
                .extraOptions("--qos=long --nice=10").jobName("my job").workingDirectory(Path.of("/work"));
        List<String> cmd = SbatchCommand.build(o, List.of(3, 5, 6), "/out/w%d.log", Path.of("/run/job.sh"));
        assertEquals(List.of("sbatch", "--parsable", "--array=3,5-6", "--job-name=my_job", "--output=/out/w%a.log",
                "--chdir=/work", "--partition=short", "--time=1:30:00", "--mem=4G", "--account=proj", "--qos=long",
                "--nice=10", "/run/job.sh"), cmd);
        List<String> plain = SbatchCommand.build(new SlurmOptions().sbatchCommand("/usr/bin/sbatch -M c1"), List.of(1, 2, 3, 4),
                "/out/log", Path.of("/j.sh"));
        assertEquals(List.of("/usr/bin/sbatch", "-M", "c1", "--parsable", "--array=1-4", "--job-name=jparallel",
                "--output=/out/log.%a"), plain.subList(0, 7));
    }

    @Test
    void outputPatternBecomesSlurmsWithOtherPercentSignsEscaped() {
        assertEquals("/o/w%a.out", SbatchCommand.slurmOutputPath("/o/w%d.out"));
        assertEquals("/o/100%%/w%a-%%j", SbatchCommand.slurmOutputPath("/o/100%/w%d-%j"));
        assertEquals("/o/log.%a", SbatchCommand.slurmOutputPath("/o/log"));
        assertEquals(Path.of("/o/w7.out"), SbatchCommand.outputFile("/o/w%d.out", 7));
        assertEquals(Path.of("/o/log.7"), SbatchCommand.outputFile("/o/log", 7));
    }

    @Test
    void jobScriptRunsTheWorkerOfItsTaskIdWithTheSecretFileAndNeverTheSecret() throws Exception {
        LaunchSpec s = spec(List.of(1, 2), dir);
        Path secrets = dir.resolve("secrets");
        RunDirectory run = RunDirectory.create(secrets, s);
        SlurmOptions o = new SlurmOptions().sbatchLines("--qos=long; #SBATCH --gres=gpu:1\n--comment='a b'");
        String text = SlurmWorkerArray.JOB_SCRIPT.text(s, run, o.sbatchLines);
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
        Path script = run.writeScript("job.sh", SlurmWorkerArray.JOB_SCRIPT.text(s, run));
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
        assertEquals(List.of("partition", "time", "memory", "account", "sbatch-lines", "options", "job-name", "output",
                "sbatch", "squeue", "scancel", "sacct", "dry-run", "secret-dir", "java", "jvm-options", "classpath",
                "host", "directory"), names);
        SlurmOptions o = SlurmBackend.options(Map.of("partition", "debug", "time", "10", "memory", "512M",
                "sbatch-lines", "--qos=a;--nice=1", "dry-run", "true", "secret-dir", "~/x", "jvm-options", "-Xmx1g -Da=b"));
        assertEquals("debug", o.partition);
        assertEquals("10", o.time);
        assertEquals(List.of("#SBATCH --qos=a", "#SBATCH --nice=1"), o.sbatchLines);
        assertTrue(o.dryRun);
        assertEquals(Path.of(System.getProperty("user.home"), "x"), o.secretDir);
        assertEquals(List.of("-Xmx1g", "-Da=b"), o.launch.jvmOptions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlurmBackend.options(Map.of("time", "2 hours")));
        assertTrue(e.getMessage().contains("jparallel.slurm.time"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlurmBackend.options(Map.of("memory", "4 GB")));
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
