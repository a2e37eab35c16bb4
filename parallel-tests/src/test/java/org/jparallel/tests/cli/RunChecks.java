package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The acceptance of {@code jparallel run} on any backend: {@code --array 1-N} of a command that fails when its index
 * is a multiple of N/4: N-4 succeed, 4 fail with their exit codes, the log holds N tagged outputs.
 */
public final class RunChecks {
    private RunChecks() {
    }

    /**
     * @param n how many tasks (a multiple of 4)
     * @param log the run's log
     * @param extra options before the command (--config F, --workers N)
     * @return the command line of the run
     */
    public static String[] fourFailing(int n, Path log, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--array", "1-" + n, "--log", log.toString(),
                "--progress", "plain"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", "sh", "-c", "echo $JPARALLEL_TASK_INDEX; exit $((JPARALLEL_TASK_INDEX % " + (n / 4)
                + " == 0))"));
        return args.toArray(String[]::new);
    }

    /**
     * Runs {@link #fourFailing} (200 tasks) from a config file that puts 2 workers on {@code backend}, and
     * asserts the outcome ({@link #assertFourFailed}).
     *
     * @param dir the test's directory: config, log, worker outputs and secrets go there
     * @param name the job name of the run's workers
     * @param ownLines the backend's own lines (a partition, a time limit)
     */
    public static void fourFailingOnBackend(Path dir, String backend, String name, String... ownLines) throws IOException {
        Path config = dir.resolve(backend + ".properties");
        List<String> lines = new java.util.ArrayList<>(List.of("jparallel.backend=" + backend, "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.worker.output=" + dir.resolve("w%d.out"),
                "jparallel." + backend + ".job-name=" + name,
                "jparallel." + backend + ".secret-dir=" + dir.resolve("secrets")));
        lines.addAll(List.of(ownLines));
        Files.write(config, lines);
        Path log = dir.resolve("run.log");
        Cli.Result r = Cli.run(fourFailing(200, log, "--config", config.toString()));
        System.out.println(r.out());
        assertFourFailed(200, log, r);
    }

    /** Asserts the outcome of {@link #fourFailing}. */
    public static void assertFourFailed(int n, Path log, Cli.Result r) throws IOException {
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("jparallel run: " + n + " task(s): " + (n - 4) + " succeeded, 4 failed in "), r::toString);
        for (int k = 1; k <= 4; k++) {
            assertTrue(r.out().contains("  task " + k * n / 4 + " failed: exit code 1\n"), r::toString);
        }
        List<String> lines = Files.readAllLines(log);
        Set<String> outs = lines.stream().filter(l -> l.matches("\\[\\d+ out\\] \\d+")).collect(Collectors.toSet());
        assertEquals(n, outs.size(), () -> "tagged outputs in " + log);
        for (int i = 1; i <= n; i++) {
            assertTrue(outs.contains("[" + i + " out] " + i), "task " + i + "'s output in the log");
        }
        assertEquals(n, lines.stream().filter(l -> l.matches("\\[\\d+ end\\] .*")).count(), "end lines in " + log);
        assertEquals(4, lines.stream().filter(l -> l.matches("\\[\\d+ end\\] failed: exit code 1")).count());
    }
}
