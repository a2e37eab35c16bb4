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
 * Reads at most {@link #TAIL_BYTES} from the end of the file, whatever its size, and never throws;
 * only what this worker wrote when given where its output began ({@link #size}, {@link #clearStale}).
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
        return tail(file, maxLines, 0);
    }

    /**
     * The end of what was written to a file since {@code from}, a {@link #size} taken earlier, so that
     * lines an earlier run left in it are not quoted as this worker's. A file now shorter than
     * {@code from} was rewritten since (truncated by its new writer): all of it is new.
     *
     * @param file the output file, may be {@code null}
     * @param maxLines how many lines at most
     * @param from the file's size when this worker's output began
     * @return the last lines written since, without a trailing line break; empty when none, or when
     *     the file is missing or unreadable
     */
    public static String tail(Path file, int maxLines, long from) {
        if (maxLines <= 0 || file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long origin = size >= from ? from : 0;
            long start = Math.max(origin, size - TAIL_BYTES);
            ch.position(start);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full or the end of the file as it was when we looked
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (start > origin) {
                int nl = text.indexOf('\n'); // drop the partial first line
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
            return lastLines(text, maxLines);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * @param file a file, may be {@code null}
     * @return its size now, 0 when it is missing or unreadable: where output written from now on begins
     */
    public static long size(Path file) {
        try {
            return file != null && Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Deletes a worker's output file left by an earlier run before a scheduler is asked to write it
     * (Grid Engine appends to it), so that nothing in it afterwards is older than this worker. Never
     * throws: a file that cannot be deleted stays, and is only read as it is.
     *
     * @param file the output file, may be {@code null}
     */
    public static void clearStale(Path file) {
        try {
            if (file != null && Files.isRegularFile(file)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // keep it: at worst an old tail is quoted, as before
        }
    }

    /**
     * Makes the directory a worker's output file goes in, when it is missing: a process cannot be started with its
     * output redirected into a missing directory, and a scheduler fails (Slurm) or holds (Grid Engine's Eqw) a job
     * whose output directory does not exist, with a reason far from the cause. Never throws.
     *
     * @param file the output file, may be {@code null}
     * @return why its directory could not be made (naming the directory and what is wrong with it), or {@code null}
     *     when it exists now
     */
    public static String makeDirectoryOf(Path file) {
        return file == null ? null : makeDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Makes the workers' output directory when it is absent, with its parents.
     *
     * @param dir the directory, may be {@code null} (nothing to make)
     * @return why it could not be made (naming the directory and what is wrong with it), or {@code null} when it
     *     exists now
     */
    public static String makeDirectory(Path dir) {
        Path parent = dir == null ? null : dir.toAbsolutePath();
        if (parent == null || Files.isDirectory(parent)) {
            return null;
        }
        try {
            Files.createDirectories(parent);
            return null;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return "cannot create the workers' output directory " + parent + ": " + e.getFile()
                    + " exists and is not a directory";
        } catch (java.nio.file.AccessDeniedException e) {
            return "cannot create the workers' output directory " + parent + ": permission denied on " + e.getFile();
        } catch (IOException | RuntimeException e) {
            return "cannot create the workers' output directory " + parent + ": " + e.getMessage();
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
