package org.jparallel.ssh;

import java.nio.file.Path;
import org.jparallel.spi.OutputFiles;

/** Reads the last lines of a worker's local output file (see {@link OutputFiles}). */
final class OutputTail {
    /** How much of the end of a file is read at most. */
    static final int TAIL_BYTES = OutputFiles.TAIL_BYTES;

    private OutputTail() {
    }

    /** @return the last {@code maxLines} lines of {@code file}; empty when it is missing or unreadable */
    static String of(Path file, int maxLines) {
        return OutputFiles.tail(file, maxLines);
    }

    /** @return the last {@code maxLines} lines of {@code text}, without a trailing line break */
    static String lastLines(String text, int maxLines) {
        return OutputFiles.lastLines(text, maxLines);
    }
}
