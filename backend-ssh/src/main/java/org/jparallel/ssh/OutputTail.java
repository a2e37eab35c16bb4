package org.jparallel.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the last lines of a worker's local output file. */
final class OutputTail {
    /** How much of the end of a file is read at most. */
    static final int TAIL_BYTES = 16 * 1024;

    private OutputTail() {
    }

    /** @return the last {@code maxLines} lines of {@code file}; empty when it is missing or unreadable */
    static String of(Path file, int maxLines) {
        if (maxLines <= 0 || file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long start = Math.max(0, size - TAIL_BYTES);
            ch.position(start);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read to the end as it was when we looked
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (start > 0) {
                int nl = text.indexOf('\n');
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
            return lastLines(text, maxLines);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** @return the last {@code maxLines} lines of {@code text}, without a trailing line break */
    static String lastLines(String text, int maxLines) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        int from = end;
        int lines = 0;
        while (from > 0) {
            if (text.charAt(from - 1) == '\n' && ++lines == maxLines) {
                break;
            }
            from--;
        }
        return text.substring(from, end);
    }
}
