package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage help on every command, {@code config --keys}, and the worker command's checks before it connects. */
class CommandsTest {

    @Test
    void everyCommandHasUsageHelp() {
        for (String cmd : new String[] {"demo", "worker", "doctor", "config"}) {
            Cli.Result r = Cli.run(cmd, "--help");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: jparallel " + cmd), r::toString);
        }
        Cli.Result top = Cli.run("--help");
        assertTrue(top.out().contains("demo") && top.out().contains("doctor"), top::toString);
        assertEquals(2, Cli.run().code(), "no command is an error");
    }

    @Test
    void configKeysPrintsTheReferenceOfTheCoreAndEveryBackend() {
        Cli.Result r = Cli.run("config", "--keys");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("# Configuration keys"), r::toString);
        for (String s : new String[] {"`jparallel.manager.host`", "## Backend `local`", "## Backend `sge`",
                "## Backend `ssh`", "`jparallel.sge.qsub`"}) {
            assertTrue(r.out().contains(s), s);
        }
    }

    @Test
    void aWorkerWithoutASecretSaysWhereItLookedAndDoesNotStart(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("secret"));
        Cli.Result r = Cli.run("worker", "--connect", "127.0.0.1:9", "--secret-file", empty.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("no secret in the file " + empty), r::toString);
        Cli.Result bad = Cli.run("worker", "--connect", "127.0.0.1", "--secret-file", empty.toString());
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("expected HOST:PORT"), bad::toString);
        Cli.Result missing = Cli.run("worker");
        assertEquals(2, missing.code(), missing::toString);
        assertTrue(missing.err().contains("Missing required option: '--connect"), missing::toString);
    }
}
