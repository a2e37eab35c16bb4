package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory (and secret) of a manager killed with kill -9 ({@link KilledManagerChild}, a JVM of its own)
 * is deleted by a later manager's first batch start once its job has left the queue. Before, it stayed forever.
 */
class KilledManagerRunDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aLaterManagerDeletesTheRunDirectoryOfAKilledOneWhoseJobsEnded() throws Exception {
        Path secrets = tmp.resolve("secrets");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledManagerChild.class.getName(), secrets.toString(), tmp.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not end");
        List<Path> left = runDirectories(secrets);
        assertEquals(1, left.size(), "the killed manager's run directories: " + left + Files.readString(
                tmp.resolve("child.log")));
        assertTrue(Files.exists(left.get(0).resolve("secret")));

        FakeRunner runner = new FakeRunner().answer("/bin/sh", 0, "43\n"); // stat lists nothing: job 42 has ended
        BatchOptions.Basic options = new BatchOptions.Basic().command("sub", "/bin/sh").secretDir(secrets);
        QueueView view = new QueueView(new FakeScheduler(), options, runner, System::nanoTime, 1_000);
        new BatchWorkerGroup<>(1, "fake", view, options).start(new LaunchSpec(List.of(1), "java", List.of(), "cp",
                "Main", null, 4001, List.of(), "other", tmp.resolve("v%d.out").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(left.get(0))) { // a bounded poll: the sweep runs on a thread of its own
            if (System.nanoTime() > deadline) {
                fail("the killed manager's run directory " + left.get(0) + " is still there; commands run: "
                        + runner.commands);
            }
            Thread.sleep(20);
        }
        assertTrue(runner.of("stat").contains(List.of("stat", "42")), "the killed manager's job was not asked about: "
                + runner.commands);
        List<Path> now = runDirectories(secrets);
        assertEquals(1, now.size(), "this manager's own run directory must stay: " + now);
    }

    private static List<Path> runDirectories(Path secrets) throws Exception {
        try (Stream<Path> s = Files.list(secrets)) {
            return s.filter(p -> p.getFileName().toString().startsWith("run-")).toList();
        }
    }
}
