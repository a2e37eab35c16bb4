package org.jparallel.cli.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one log of a run: each task's output as a block of lines tagged with its key, {@code [KEY out] text} and
 * {@code [KEY err] text}, closed by {@code [KEY end] how it ended}. A task's block is written whole when its result
 * arrives, so blocks never interleave, and {@link #print} finds a task's lines by their prefix in one pass.
 */
public final class RunLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    /**
     * @param file the log, created or replaced
     * @param header the first line (after {@code # })
     */
    public RunLog(Path file, String header) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("# " + header.replace('\n', ' ') + "\n");
        out.flush();
    }

    /** @return the log's path */
    public Path file() {
        return file;
    }

    /**
     * Writes one task's block and flushes it.
     *
     * @param key the task's key
     * @param output what its command printed, or {@code null} when it never ran to an end
     * @param end how it ended, e.g. {@code exit 0 in 0.01 s} or {@code failed: exit code 1}
     */
    public synchronized void write(String key, CommandOutput output, String end) {
        try {
            if (output != null) {
                lines(key + " out", output.stdoutText());
                lines(key + " err", output.stderrText());
            }
            out.write("[" + key + " end] " + end.replace('\n', ' ') + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's log " + file + ": " + e.getMessage(), e);
        }
    }

    private void lines(String tag, String text) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            out.write("[" + tag + "] ");
            out.write(text, from, to - from);
            out.write('\n');
            from = to + 1;
        }
    }

    /**
     * @param seconds a duration in seconds
     * @return it as {@code 1.234 s}
     */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f s", seconds);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /**
     * Prints one task's output from a run's log: its standard output lines to {@code stdout}, its error lines to
     * {@code stderr}, without their tags.
     *
     * @param log the run's log
     * @param key the task's key
     * @return how the task ended, or {@code null} when the log has no such task
     */
    public static String print(Path log, String key, PrintStream stdout, PrintStream stderr) throws IOException {
        String outTag = "[" + key + " out] ";
        String errTag = "[" + key + " err] ";
        String endTag = "[" + key + " end] ";
        String end = null;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(outTag)) {
                    stdout.println(line.substring(outTag.length()));
                } else if (line.startsWith(errTag)) {
                    stderr.println(line.substring(errTag.length()));
                } else if (line.startsWith(endTag)) {
                    end = line.substring(endTag.length());
                    break; // a task's block is written once, whole
                }
            }
        }
        stdout.flush();
        stderr.flush();
        return end;
    }
}
