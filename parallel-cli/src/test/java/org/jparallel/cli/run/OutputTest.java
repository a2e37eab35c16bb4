package org.jparallel.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captured output keeps head and tail; a failure carries it back; the run's log gives one task's lines back. */
class OutputTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void captureKeepsHeadAndTailAndSaysWhatItDropped() {
        OutputCapture c = new OutputCapture(8);
        byte[] b = utf8("abcdefghijklmnop");
        c.add(b, 0, 10);
        c.add(b, 10, 6);
        assertEquals(8, c.dropped());
        assertEquals("abcd\n[jparallel: 8 bytes dropped here]\nmnop", new String(c.bytes(), StandardCharsets.UTF_8));
        OutputCapture small = new OutputCapture(100);
        small.add(b, 0, 5);
        assertEquals("abcde", new String(small.bytes(), StandardCharsets.UTF_8));
        assertEquals(0, small.dropped());
    }

    @Test
    void aFailureCarriesItsOutputAndShowsTheStderrTail() {
        StringBuilder err = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            err.append("e").append(i).append('\n');
        }
        CommandOutput o = new CommandOutput("k:1", 3, utf8("out\n"), 0, utf8(err.toString()), 5, 12);
        CommandFailedException e = new CommandFailedException(o);
        String readable = e.getMessage();
        assertTrue(readable.startsWith("exit code 3; error output (last 20 lines):\ne6\n"), readable);
        assertTrue(readable.endsWith("e25"), readable);
        CommandOutput back = CommandFailedException.decode(e.getCause().getMessage()).orElseThrow();
        assertEquals("k:1", back.key());
        assertEquals(3, back.exitCode());
        assertEquals("out\n", back.stdoutText());
        assertEquals(err.toString(), back.stderrText());
        assertEquals(5, back.stderrDropped());
        assertEquals(12, back.millis());
        CommandOutput silent = new CommandOutput("k", 1, utf8(""), 0, utf8(""), 0, 3);
        CommandOutput silentBack = CommandFailedException.decode(new CommandFailedException(silent).getCause().getMessage())
                .orElseThrow();
        assertEquals(1, silentBack.exitCode());
        assertEquals("", silentBack.stderrText());
    }

    @Test
    void theLogGivesOneTasksLinesBack() throws Exception {
        Path f = dir.resolve("run.log");
        try (RunLog log = new RunLog(f, "test")) {
            log.write("1", new CommandOutput("1", 0, utf8("one\n"), 0, utf8(""), 0, 1), "exit 0");
            log.write("12", new CommandOutput("12", 1, utf8("a\nb"), 0, utf8("oops\n"), 0, 1), "failed: exit code 1");
            log.write("2", null, "failed: timed out");
        }
        assertTrue(Files.readString(f).contains("[12 out] a\n[12 out] b\n[12 err] oops\n[12 end] failed: exit code 1\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String end = RunLog.print(f, "12", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("failed: exit code 1", end);
        assertEquals("a\nb\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("failed: timed out", RunLog.print(f, "2", System.out, System.err));
        assertEquals(null, RunLog.print(f, "3", System.out, System.err));
    }
}
