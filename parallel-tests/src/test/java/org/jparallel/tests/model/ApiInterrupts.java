package org.jparallel.tests.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jparallel.TaskOptions;

/**
 * The actions of {@link ApiModel} in which a journaled program's thread is interrupted (a cancelled future, an
 * executor shutting down) while it reads results or makes a context. The journal writes the delivery marks and the
 * context's record on that thread, and must keep them whatever its interrupt status, leaving the flag set. Each runs
 * on the model's action thread with a deadline, sets the flag there and clears it after whatever happens (no later
 * action runs interrupted, so none is judged by a flag left set), and checks the flag was still set after the call.
 * Apart from the model: what the journal's interrupt handling needs to be reached (the marks' mapping boundary) is
 * a job of its own.
 */
final class ApiInterrupts {
    /**
     * {@link ApiTask.Kind#LONG_KEY} tasks of a batch: each one's delivery mark is about 12 KB (3 bytes a character
     * of its key), so that their marks alone fill more than the marks' 1 MiB mapping, and reading them all crosses
     * its end.
     */
    static final int LONG_KEYS = (1 << 20) / (3 * TaskOptions.MAX_KEY_LENGTH) + 5;

    private ApiInterrupts() {
    }

    /** Makes a context on a thread whose flag is set: its journal record must be written all the same. */
    static void newContext(ApiModel m, boolean withSetup) {
        Ctx[] made = new Ctx[1];
        m.blocking("getContext(" + (withSetup ? "setup" : "") + ") on an interrupted thread", () -> {
            Thread.currentThread().interrupt();
            boolean kept;
            try {
                made[0] = m.openContext(m.contexts.size() + 1, withSetup);
            } finally {
                kept = Thread.interrupted();
            }
            if (!kept) {
                m.judge.violation("getContext on an interrupted thread cleared its interrupt flag");
            } else if (made[0] != null) {
                ApiReach.interruptedContext();
            }
        });
        if (made[0] != null) {
            m.contexts.add(made[0]);
        }
    }

    /**
     * Reads results through an iterator of the context on a thread whose flag is set: up to where it would wait
     * (it then throws "interrupted while waiting"), or {@code limit} of them (0: no limit). The journal must mark
     * each delivered all the same; a read during which the marks took a new mapping is counted.
     */
    static void iterate(ApiModel m, Ctx ctx, boolean ordered, int limit) {
        m.blocking("iterating " + (ordered ? "getResults" : "getResultsUnordered") + " of context " + ctx.id
                + " on an interrupted thread", () -> {
                    long mapped = marksFileSize(m);
                    Thread.currentThread().interrupt();
                    try {
                        m.reader.read(ctx, (ordered ? ctx.context.getResults() : ctx.context.getResultsUnordered())
                                .iterator(), ordered, limit, "the iterator", true);
                    } finally {
                        Thread.interrupted();
                    }
                    if (marksFileSize(m) > mapped) {
                        ApiReach.interruptedBoundaryRead();
                    }
                });
    }

    /**
     * Adds {@link #LONG_KEYS} tasks of the longest keys, waits for their futures, then reads the context's results
     * unordered on an interrupted thread: their marks cross the end of the marks' mapping during that read.
     */
    static void longKeys(ApiModel m, Ctx ctx) {
        int from = ctx.tasks.size();
        m.addTasks(ctx, Collections.nCopies(LONG_KEYS, ApiTask.Kind.LONG_KEY));
        List<ApiTask> batch = List.copyOf(ctx.tasks.subList(from, ctx.tasks.size()));
        m.readFutures("reading the futures of " + batch.size() + " LONG_KEY tasks of context " + ctx.id, batch);
        iterate(m, ctx, false, 0);
    }

    /**
     * @return the size of the journal's delivery marks file: the end of the marks' current mapping (each new
     *     mapping extends the file by 1 MiB), so a read that made it grow crossed a mapping's end; -1 when none
     */
    private static long marksFileSize(ApiModel m) {
        Path marks = m.journalFile().resolveSibling(m.journalFile().getFileName() + ".delivered");
        try {
            return Files.size(marks);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
