package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessHandleTest {
    @TempDir
    Path tmp;

    @Test
    void lastLines() {
        assertEquals("b\nc", LocalProcessHandle.lastLines("a\nb\nc\n", 2));
        assertEquals("a\nb\nc", LocalProcessHandle.lastLines("a\nb\nc", 5));
        assertEquals("c", LocalProcessHandle.lastLines("a\nb\nc\n\n", 1));
        assertEquals("", LocalProcessHandle.lastLines("", 3));
    }

    @Test
    void tailOfMissingFileIsEmpty() {
        LocalProcessHandle h = LocalProcessHandle.failed(1, tmp.resolve("none"), "why");
        assertEquals("", h.outputTail(10));
        assertEquals(WorkerStatus.failed("why"), h.status());
        assertEquals(-1, h.pid());
    }

    @Test
    void tailReadsOnlyTheEndOfALargeFile() throws Exception {
        Path f = tmp.resolve("big.log");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(f, b);
        LocalProcessHandle h = LocalProcessHandle.failed(1, f, "x");
        assertEquals("line 9997\nline 9998\nline 9999", h.outputTail(3));
        String all = h.outputTail(100_000);
        assertTrue(all.length() <= LocalProcessHandle.TAIL_BYTES, "read " + all.length() + " chars");
        assertTrue(all.startsWith("line "), "partial first line dropped: " + all.substring(0, 20));
        assertEquals("", h.outputTail(0));
    }
}
