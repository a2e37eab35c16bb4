package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery marks' close on a disk that fails their force (on Java 17 a failed {@code msync} throws): the marks
 * must be closed all the same, as after a normal close, or a close tried again stores into the old mapping while a
 * journal opened again writes the same file.
 */
class DeliveryMarksTest {
    @TempDir
    Path dir;

    @Test
    void aCloseWhoseForceFailsClosesTheMarksAllTheSameAndWarns() throws Exception {
        Path journal = dir.resolve("j");
        DeliveryMarks marks = DeliveryMarks.create(journal, 1, m -> {
            throw new UncheckedIOException(new IOException("msync: Input/output error"));
        });
        marks.mark(JournalFormat.delivered(0, "a"));
        long bytes = marks.bytes();
        RuntimeException[] thrown = new RuntimeException[1];
        String logged = stderrOf(() -> {
            try {
                marks.close();
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
        });
        assertFalse(marks.channelOpen(), "the marks' channel was left open: " + thrown[0]);
        stderrOf(() -> marks.mark(JournalFormat.delivered(0, "b")));
        assertEquals(bytes, marks.bytes(), "a mark was stored after the close");
        assertEquals(bytes, Files.size(DeliveryMarks.fileOf(journal)), "the file was not cut after its last mark");
        List<String> read = new ArrayList<>();
        DeliveryMarks.read(journal, 1, (context, key) -> read.add(key));
        assertEquals(List.of("a"), read);
        assertNull(thrown[0], "the close threw");
        assertTrue(logged.contains("WARN") && logged.contains("may not be on disk")
                && logged.contains("delivered again after a restart"), "no warning that marks may be lost: " + logged);
        marks.close(); // a close tried again: nothing more
    }

    /** @return what SLF4J's simple logger (on {@code System.err}) wrote while {@code r} ran */
    private static String stderrOf(Runnable r) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(copy, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(original);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
