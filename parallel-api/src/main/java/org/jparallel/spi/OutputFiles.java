package org.jparallel.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the end of a worker's output file, for {@link WorkerHandle#outputTail(int)}: every backend
 * that writes worker output to a file needs the same thing, and the core quotes it in start errors.
 * Reads at most {@link #TAIL_BYTES} from the end of the file, whatever its size, and never throws.
 */
public final class OutputFiles {
    /** How much of the end of a file is read at most. */
    public static final int TAIL_BYTES = 16 * 1024;

    private OutputFiles() {
    }

    /**
     * @param file the output file, may be {@code null}
     * @param maxLines how many lines at most
     * @return the last lines of the file, without a trailing line break; empty when it is missing or unreadable
     */
    public static String tail(Path file, int maxLines) {
        if (maxLines <= 0 || file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long start = Math.max(0, size - TAIL_BYTES);
            ch.position(start);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full or the end of the file as it was when we looked
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (start > 0) {
                int nl = text.indexOf('\n'); // drop the partial first line
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
            return lastLines(text, maxLines);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * @param text some text
     * @param maxLines how many lines at most
     * @return the last {@code maxLines} lines of {@code text}, without a trailing line break
     */
    public static String lastLines(String text, int maxLines) {
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
