package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkerLogs#forward} writes, with slf4j-simple, byte for byte what the SLF4J call of the same shape
 * ({@code info(message)}, {@code info(format, args...)}, {@code info(message, throwable)}) writes: thread name,
 * {@code {}} formatting, a throwable's stack, a throwable trailing the arguments, at every level.
 */
class WorkerLogsForwardTest {
    private static final String NAME = "org.jparallel.test.Forward";

    /** One call: a message, its arguments or {@code null}, its throwable or {@code null}. */
    private record Call(String message, Object[] args, Throwable thrown) {
    }

    private static List<Call> calls() {
        IllegalStateException boom = new IllegalStateException("boom", new RuntimeException("cause"));
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("plain, {} left as it is", null, null));
        calls.add(new Call("one {}", new Object[] {1}, null));
        calls.add(new Call("two {} {}", new Object[] {"a", null}, null));
        calls.add(new Call("three {} {} {}", new Object[] {1, new int[] {2, 3}, "x"}, null));
        calls.add(new Call("fewer {} {}", new Object[] {1}, null));
        calls.add(new Call("more {}", new Object[] {1, 2}, null));
        calls.add(new Call("escaped \\{} {}", new Object[] {1}, null));
        calls.add(new Call("a throwable", null, boom));
        calls.add(new Call("a trailing throwable {}", new Object[] {1, boom}, null));
        calls.add(new Call("only a throwable in the arguments", new Object[] {boom}, null));
        calls.add(new Call("", new Object[0], null));
        return calls;
    }

    @Test
    void forwardWritesWhatTheSlf4jCallOfTheSameShapeWrites() {
        System.setProperty("org.slf4j.simpleLogger.log." + NAME, "trace"); // read when the logger is made
        Logger to = LoggerFactory.getLogger(NAME);
        assertTrue(to.isTraceEnabled(), "slf4j-simple, every level on");
        for (InternalLogLevel level : InternalLogLevel.values()) {
            for (Call c : calls()) {
                String expected = captured(() -> classic(to, level, c.message, c.args, c.thrown));
                String actual = captured(() -> WorkerLogs.forward(to, level, c.message, c.args, c.thrown));
                assertTrue(expected.contains(c.message.isEmpty() ? " - " : c.message.substring(0, 3)), expected);
                assertEquals(expected, actual, level + " " + c.message);
            }
        }
    }

    /** The SLF4J call of the call's shape. */
    private static void classic(Logger to, InternalLogLevel level, String message, Object[] args, Throwable thrown) {
        switch (level) {
            case TRACE -> {
                if (thrown != null) {
                    to.trace(message, thrown);
                } else if (args != null) {
                    to.trace(message, args);
                } else {
                    to.trace(message);
                }
            }
            case DEBUG -> {
                if (thrown != null) {
                    to.debug(message, thrown);
                } else if (args != null) {
                    to.debug(message, args);
                } else {
                    to.debug(message);
                }
            }
            case INFO -> {
                if (thrown != null) {
                    to.info(message, thrown);
                } else if (args != null) {
                    to.info(message, args);
                } else {
                    to.info(message);
                }
            }
            case WARN -> {
                if (thrown != null) {
                    to.warn(message, thrown);
                } else if (args != null) {
                    to.warn(message, args);
                } else {
                    to.warn(message);
                }
            }
            default -> {
                if (thrown != null) {
                    to.error(message, thrown);
                } else if (args != null) {
                    to.error(message, args);
                } else {
                    to.error(message);
                }
            }
        }
    }

    /** @return what slf4j-simple wrote (to standard error, looked up at each line) while {@code r} ran */
    private static String captured(Runnable r) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
