package org.jparallel.slurm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The last lines of a worker's output file. */
final class OutputTail {
    private static final int TAIL_BYTES = 16 * 1024;

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
                // until full or end of file
            }
            String[] lines = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip().split("\\R");
            // when the file was cut, its first line is probably partial: drop it
            int from = Math.max(start > 0 ? 1 : 0, lines.length - maxLines);
            return String.join("\n", Arrays.asList(lines).subList(Math.min(from, lines.length), lines.length));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
