package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote commands, built and also run by the local /bin/sh, which is what sshd would run them with. */
class RemoteCommandTest {

    @TempDir
    Path dir;

    private static RemoteCommand worker() {
        return new RemoteCommand().javaCommand("java").jvmOptions(List.of("-Xmx1g")).classpath("/a/x.jar:/b/it's dir")
                .mainClass("org.jparallel.core.worker.WorkerMain").managerAddresses(List.of("10.0.0.1:4711", "[::1]:4711"))
                .workerId(7);
    }

    @Test
    void javaWordsEndWithTheWorkerArgumentsAndSecretStdin() {
        assertEquals(List.of("java", "-Xmx1g", "-cp", "/a/x.jar:/b/it's dir", "org.jparallel.core.worker.WorkerMain",
                "--connect", "10.0.0.1:4711,[::1]:4711", "--id", "7", "--secret-stdin"), worker().javaWords());
    }

    @Test
    void aLifetimeIsPassedToTheWorkerInMilliseconds() {
        List<String> w = worker().lifetime(java.time.Duration.ofMinutes(20)).javaWords();
        assertEquals(List.of("--secret-stdin", "--lifetime-ms", "1200000"), w.subList(w.size() - 3, w.size()));
    }

    @Test
    void quotingSurvivesAPosixShell() throws Exception {
        for (String s : List.of("plain", "it's", "a b", "$HOME", "`id`", "\"q\"", "", "x;y&z|w", "\\n")) {
            Out o = sh("printf '%s' " + RemoteCommand.quote(s));
            assertEquals(s, o.text, "quoting of " + s);
        }
    }

    @Test
    void scriptPrintsThePidThenExecsTheJavaCommandWithEveryWordIntact() throws Exception {
        // "printf" as the java command: it prints its arguments, one per line
        String script = worker().javaCommand("printf '%s\\n'").directory(dir.resolve("work dir").toString())
                .envPrefix("X=from-prefix; export X").script();
        Out o = sh(script);
        List<String> lines = o.text.lines().toList();
        assertTrue(lines.get(0).startsWith(RemoteCommand.PID_MARKER), o.text);
        assertEquals(List.of("-Xmx1g", "-cp", "/a/x.jar:/b/it's dir", "org.jparallel.core.worker.WorkerMain", "--connect",
                "10.0.0.1:4711,[::1]:4711", "--id", "7", "--secret-stdin"), lines.subList(1, lines.size()));
        assertEquals(0, o.code);
        assertTrue(dir.resolve("work dir").toFile().isDirectory(), "the working directory was not created");
    }

    @Test
    void missingJavaSaysSoAndShowsThePath() throws Exception {
        Out o = sh(worker().javaCommand("no-such-java-here").envPrefix("PATH=/usr/bin:/bin:/opt/x").script());
        assertEquals(RemoteCommand.EXIT_NO_JAVA, o.code);
        assertTrue(o.text.startsWith(RemoteCommand.FAILURE_PREFIX + "the java command no-such-java-here was not found on "),
                o.text);
        assertTrue(o.text.contains("PATH=/usr/bin:/bin:/opt/x"), o.text);
        assertFalse(o.text.contains(RemoteCommand.PID_MARKER), o.text);
    }

    @Test
    void theCommandRunsUnderBinShAndHoldsNoSecret() {
        String c = worker().command();
        assertTrue(c.startsWith("exec /bin/sh -c '"), c);
        assertFalse(c.contains("JPARALLEL_SECRET"), c);
        assertTrue(c.contains("--secret-stdin"), c);
    }

    @Test
    void killCommandEndsOnlyAProcessWhoseCommandLineNamesTheMainClass() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(0, sh(RemoteCommand.killCommand(p.pid(), "org.example.NotThisOne")).code);
            assertFalse(p.waitFor(300, TimeUnit.MILLISECONDS), "a process of another program was killed");
            assertEquals(0, sh(RemoteCommand.killCommand(p.pid(), "sleep")).code);
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the process still runs");
            assertEquals(0, sh(RemoteCommand.killCommand(p.pid(), "sleep")).code, "killing a gone process is fine");
        } finally {
            p.destroyForcibly();
        }
    }

    private record Out(int code, String text) {
    }

    private static Out sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new Out(p.exitValue(), text);
    }
}
