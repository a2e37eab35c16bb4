package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * A worker's messages before its logging is set up ({@link WorkerLogs}): recorded without loading SLF4J,
 * replayed into it in their order with their arguments, throwables and threads' names, filtered by its
 * configuration, and Netty's loggers made before the set-up forward to SLF4J after it. Each case runs in a
 * fresh JVM (the deferral is once per JVM), its class loading and its log on one standard output.
 */
class WorkerLogsTest {
    static final String MARK = "MARK before the set-up";

    /** @param args the case to run: {@code replay}, {@code warn}, {@code bound} or {@code nested} */
    public static void main(String[] args) throws Exception {
        WorkerLogs.defer(60_000); // no set-up by time in a slow test JVM
        InternalLogger netty = InternalLoggerFactory.getInstance("netty.Static"); // as Netty's static fields
        InternalLogger own = WorkerLogs.logger(WorkerLogsTest.class);
        switch (args[0]) {
            case "replay" -> {
                System.out.println("deferred answers: trace=" + netty.isTraceEnabled() + " debug="
                        + netty.isDebugEnabled() + " info=" + own.isInfoEnabled());
                own.info("first {}", 1);
                Thread t = new Thread(() -> netty.debug("second {} {}", "a", "b"), "other-thread");
                t.start();
                t.join();
                netty.trace("a trace line the configuration drops");
                own.info("third", new IllegalStateException("boom"));
                own.debug("fourth {} {} {}", 1, 2, 3);
                System.out.println(MARK + "; deferring=" + WorkerLogs.deferring());
                WorkerLogs.setUp();
                own.info("fifth");
                netty.debug("sixth");
                System.out.println("answers after: trace=" + netty.isTraceEnabled() + " debug="
                        + netty.isDebugEnabled() + "; deferring=" + WorkerLogs.deferring());
            }
            case "warn" -> {
                own.info("before the warning");
                netty.warn("the warning {}", 7);
                System.out.println("after the warning: deferring=" + WorkerLogs.deferring());
            }
            case "bound" -> {
                for (int i = 0; i < WorkerLogs.MAX_RECORDS + 5; i++) {
                    own.debug("line {}", i);
                }
                WorkerLogs.setUp();
            }
            case "nested" -> {
                own.info("before");
                Object logsWhenFormatted = new Object() {
                    @Override
                    public String toString() { // runs in the replay, on the replaying thread
                        own.info("inner info");
                        netty.warn("inner warn");
                        return "X";
                    }
                };
                own.info("outer {}", logsWhenFormatted);
                WorkerLogs.setUp();
                own.info("after; deferring=" + WorkerLogs.deferring());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    @Test
    void recordsAreReplayedInOrderWithoutSlf4jLoadedBefore() throws Exception {
        String out = run("replay");
        int mark = out.indexOf(MARK);
        assertTrue(mark > 0, out);
        String before = out.substring(0, mark);
        assertFalse(before.contains("org.slf4j"), "SLF4J loaded before the set-up: "
                + before.lines().filter(l -> l.contains("org.slf4j")).limit(3).toList());
        assertTrue(before.contains("deferred answers: trace=true debug=true info=true"), before);
        assertTrue(out.contains(MARK + "; deferring=true"), out);
        List<String> lines = logLines(out);
        assertEquals(List.of(
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - first 1",
                "[other-thread] DEBUG netty.Static - second a b",
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - third",
                "java.lang.IllegalStateException: boom",
                "[main] DEBUG org.jparallel.core.worker.startup.WorkerLogsTest - fourth 1 2 3",
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - fifth",
                "[main] DEBUG netty.Static - sixth"), lines, out);
        assertTrue(out.contains("answers after: trace=false debug=true; deferring=false"), out);
    }

    @Test
    void aWarningSetsLoggingUpAtOnceAfterWhatCameBefore() throws Exception {
        String out = run("warn");
        assertEquals(List.of(
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - before the warning",
                "[main] WARN netty.Static - the warning 7"), logLines(out), out);
        assertTrue(out.contains("after the warning: deferring=false"), out);
    }

    @Test
    void recordsOverTheBoundAreCountedAndSaid() throws Exception {
        String out = run("bound");
        List<String> lines = logLines(out);
        assertEquals(WorkerLogs.MAX_RECORDS + 1, lines.size());
        assertEquals("[main] DEBUG org.jparallel.core.worker.startup.WorkerLogsTest - line 0", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).endsWith("5 log messages given before the logging was set up were "
                + "dropped (at most " + WorkerLogs.MAX_RECORDS + " are kept)"), lines.get(lines.size() - 1));
    }

    @Test
    void linesLoggedWhileTheReplayFormatsAnArgumentComeAfterItsLine() throws Exception {
        // the replay held the records' lock while formatting: the inner lines were added to the list being
        // replayed (ConcurrentModificationException) and the warning replayed everything twice
        String out = run("nested");
        assertEquals(List.of(
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - before",
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - outer X",
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - inner info",
                "[main] WARN netty.Static - inner warn",
                "[main] INFO org.jparallel.core.worker.startup.WorkerLogsTest - after; deferring=false"),
                logLines(out), out);
    }

    /** @return the log's lines (SimpleLogger's, and a throwable's first line), without class loading's */
    private static List<String> logLines(String out) {
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (l.startsWith("[") && !l.matches("^\\[[0-9.]+s\\].*") || l.startsWith("java.lang.IllegalStateException")) {
                lines.add(l);
            }
        }
        return lines;
    }

    private static String run(String mode) throws Exception {
        return FreshJvm.run(List.of("-Xshare:auto", "-Xlog:class+load=info:stdout:uptime",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-Dorg.slf4j.simpleLogger.logFile=System.out"),
                WorkerLogsTest.class, mode).text();
    }
}
