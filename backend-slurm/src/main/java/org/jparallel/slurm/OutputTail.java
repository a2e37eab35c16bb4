package org.jparallel.slurm;

import java.nio.file.Path;
import org.jparallel.spi.OutputFiles;

/** The last lines of a worker's output file (see {@link OutputFiles}, part of the public SPI). */
final class OutputTail {
    private OutputTail() {
    }

    /** @return the last {@code maxLines} lines of {@code file}; empty when it is missing or unreadable */
    static String of(Path file, int maxLines) {
        return OutputFiles.tail(file, maxLines);
    }
}
