package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output file left by an earlier run (another backend's, another manager's) is never quoted as
 * if this worker had written it.
 */
class StaleOutputTest {
    @TempDir
    Path dir;

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void anUnstartedWorkerQuotesNoLineOfAStaleOutputFile() throws IOException {
        Path out = dir.resolve("worker1.output");
        append(out, "slurmstepd: error: *** JOB 17 ON node1 CANCELLED ***\nan earlier run's last line\n");
        WorkerHandle h = new UnstartedWorkerHandle(1, "Grid Engine worker 1 (not submitted)", out,
                "could not submit workers 1-1: qsub: Unknown queue nosuch.q", () -> { });
        assertEquals("", h.outputTail(10), "nothing of the earlier run");
        append(out, "written after the handle was made\n");
        assertEquals("written after the handle was made", h.outputTail(10));
    }

    @Test
    void theTailSinceAMarkSkipsWhatCameBeforeAndReadsARewrittenFileWhole() throws IOException {
        Path out = dir.resolve("w.out");
        assertEquals(0, OutputFiles.size(out), "a missing file has nothing yet");
        append(out, "old 1\nold 2\n");
        long mark = OutputFiles.size(out);
        assertEquals("", OutputFiles.tail(out, 5, mark));
        append(out, "new 1\nnew 2\n");
        assertEquals("new 1\nnew 2", OutputFiles.tail(out, 5, mark));
        assertEquals("new 2", OutputFiles.tail(out, 1, mark));
        Files.writeString(out, "rewritten\n"); // truncated by whoever writes it now: all of it is new
        assertEquals("rewritten", OutputFiles.tail(out, 5, mark));
    }

    @Test
    void clearingRemovesAStaleFileAndToleratesAMissingOne() throws IOException {
        Path out = dir.resolve("w.out");
        append(out, "stale\n");
        OutputFiles.clearStale(out);
        assertEquals(false, Files.exists(out));
        OutputFiles.clearStale(out); // must not throw
        OutputFiles.clearStale(dir.resolve("no/such/dir/w.out"));
    }
}
