package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submissions split into ranges, refused and dry-run submissions, the shared options and keys; no scheduler runs. */
class BatchWorkerGroupTest {
    @TempDir
    Path tmp;
    private final FakeRunner runner = new FakeRunner().answer("/bin/sh", 0, "42\n");
    private final FakeScheduler scheduler = new FakeScheduler();

    private LaunchSpec spec(List<Integer> ids) {
        return new LaunchSpec(ids, "java", List.of(), "cp", "Main", null, 4000, List.of(), "s3cret",
                tmp.resolve("w%d.out").toString());
    }

    private BatchWorkerGroup<BatchOptions.Basic> group(BatchOptions.Basic options) {
        QueueView view = new QueueView(scheduler, options.secretDir(tmp.resolve("secrets")), runner, () -> 0L, 1_000);
        return new BatchWorkerGroup<>(5, "fake", view, options);
    }

    @Test
    void aSchedulerOfSingleRangesGetsOneSubmissionPerRangeAndHandlesComeInTheCoresOrder() throws Exception {
        scheduler.lists = false;
        List<WorkerHandle> hs = group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(spec(List.of(8, 1, 2, 3, 7)));
        assertEquals(List.of(8, 1, 2, 3, 7), hs.stream().map(WorkerHandle::workerId).toList());
        List<List<String>> subs = runner.commands.stream().filter(c -> c.get(0).equals("/bin/sh")).toList();
        assertEquals(2, subs.size(), subs.toString());
        assertEquals("--ids=1-3", subs.get(0).get(1));
        assertEquals("--ids=7-8", subs.get(1).get(1));
        assertEquals("--out=" + tmp.resolve("w%I.out"), subs.get(0).get(3));
        assertEquals("Fake worker 8 (job 42[8], jparallel)", hs.get(0).description());
    }

    @Test
    void aSchedulerOfListsGetsOneSubmissionAndTheScriptReadsItsVariable() throws Exception {
        group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(spec(List.of(1, 2, 3, 7)));
        List<List<String>> subs = runner.commands.stream().filter(c -> c.get(0).equals("/bin/sh")).toList();
        assertEquals(1, subs.size());
        assertEquals("--ids=1-3,7", subs.get(0).get(1));
        String script = Files.readString(Path.of(subs.get(0).get(4)));
        assertTrue(script.contains("id=${FAKE_INDEX:-}"), script);
    }

    @Test
    void aGroupGrowsByOneMoreArraySubmissionOfTheNewIdsOnly() throws Exception {
        BatchWorkerGroup<?> g = group(new BatchOptions.Basic().command("sub", "/bin/sh"));
        assertTrue(g.canGrow());
        g.start(spec(List.of(1, 2)));
        List<WorkerHandle> more = g.start(spec(List.of(6, 7, 8)));
        assertEquals(List.of(6, 7, 8), more.stream().map(WorkerHandle::workerId).toList());
        List<List<String>> subs = runner.commands.stream().filter(c -> c.get(0).equals("/bin/sh")).toList();
        assertEquals(List.of("--ids=1-2", "--ids=6-8"), subs.stream().map(c -> c.get(1)).toList());
    }

    @Test
    void aRefusedSubmissionFailsEveryWorkerWithTheSchedulersMessage() throws Exception {
        runner.answer("/bin/sh", 3, "unknown queue");
        List<WorkerHandle> hs = group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(spec(List.of(1, 2)));
        for (WorkerHandle h : hs) {
            assertEquals(Phase.FAILED, h.status().phase());
            assertTrue(h.status().detail().startsWith("sub failed with exit code 3: unknown queue\ncommand: /bin/sh --ids=1-2"),
                    h.status().detail());
        }
    }

    @Test
    void aDryRunSubmitsNothingAndEveryWorkerFailsWithTheCommand() throws Exception {
        List<WorkerHandle> hs = group(new BatchOptions.Basic().dryRun(true)).start(spec(List.of(1, 2)));
        assertEquals(List.of(), runner.commands);
        String d = hs.get(0).status().detail();
        assertTrue(d.startsWith("dry run (jparallel.fake.dry-run=true), nothing submitted.\nsub command: sub --ids=1-2"), d);
        try (var left = Files.list(tmp.resolve("secrets"))) {
            assertEquals(0, left.count(), "a dry run left its run directory (and secret) behind");
        }
    }

    @Test
    void staleOutputIsDeletedBeforeSubmitting() throws Exception {
        Files.writeString(tmp.resolve("w1.out"), "an earlier run's lines\n");
        group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(spec(List.of(1)));
        assertTrue(Files.notExists(tmp.resolve("w1.out")));
    }

    @Test
    void theOutputFilesDirectoryIsMadeBeforeSubmittingAsASchedulerWouldFailTheJobWithoutIt() throws Exception {
        LaunchSpec s = new LaunchSpec(List.of(1, 2), "java", List.of(), "cp", "Main", null, 4000, List.of(), "s3cret",
                tmp.resolve("logs/run%p/w%d.out").toString());
        group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(s);
        assertTrue(Files.isDirectory(tmp.resolve("logs/run4000")));
        List<List<String>> subs = runner.commands.stream().filter(c -> c.get(0).equals("/bin/sh")).toList();
        assertEquals("--out=" + tmp.resolve("logs/run4000/w%I.out"), subs.get(0).get(3));
    }

    @Test
    void anOutputDirectoryThatCannotBeMadeFailsEveryWorkerAndNothingIsSubmitted() throws Exception {
        Files.writeString(tmp.resolve("afile"), "");
        LaunchSpec s = new LaunchSpec(List.of(1, 2), "java", List.of(), "cp", "Main", null, 4000, List.of(), "s3cret",
                tmp.resolve("afile/w%d.out").toString());
        List<WorkerHandle> hs = group(new BatchOptions.Basic().command("sub", "/bin/sh")).start(s);
        assertEquals(List.of(), runner.commands.stream().filter(c -> c.get(0).equals("/bin/sh")).toList());
        for (WorkerHandle h : hs) {
            assertEquals(Phase.FAILED, h.status().phase());
            assertTrue(h.status().detail().startsWith("cannot create the workers' output directory "
                    + tmp.resolve("afile")), h.status().detail());
        }
    }

    @Test
    void theSharedKeysAreDeclaredOnceWithOneKeyPerToolAndReadIntoTheOptions() {
        List<String> names = BatchKeys.forScheduler("fake", scheduler).stream().map(ConfigKey::name).toList();
        assertTrue(names.containsAll(List.of("java", "jvm-options", "classpath", "host", "output", "secret-dir",
                "job-name", "options", "dry-run", "directory", "sub", "stat", "del")), names.toString());
        BatchOptions.Basic o = new BatchOptions.Basic().read(BackendSettings.of("fake", Map.of("job-name", "my job",
                "options", "-P 'a b'", "dry-run", "true", "stat", "ssh head stat", "secret-dir", " ")), scheduler);
        assertEquals("my_job", o.jobName());
        assertEquals(List.of("-P", "a b"), o.options());
        assertTrue(o.dryRun());
        assertEquals(List.of("ssh", "head", "stat"), o.commandWords("stat"));
        assertEquals(List.of("del"), o.commandWords("del"));
        assertEquals(Path.of(System.getProperty("user.home"), ".jparallel", "fake"), o.secretDirOrDefault("fake"));
    }
}
