package org.jparallel.core.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Map;

/**
 * Rewrites a journal with one record per key ({@code jparallel journal compact}), for journals of millions of
 * results that a campaign resumes many times. The log keeps every result's bytes after the program received it,
 * and the marks file gains a mark per delivery; the compacted log holds the header, each context, and per key
 * only what a restart needs: a delivered key as a delivery record (its result's bytes are dropped: they are never
 * handed out again), a result not yet delivered as its result record, a key whose last outcome was a final failure
 * as that failure. Superseded records (a failure a later run's result replaced, a torn tail) are dropped. The
 * delivery marks, now in the log, start afresh in an empty marks file.
 *
 * <p>Crash-safe: the new log is written to a temporary file beside the journal, forced to disk and moved over the
 * journal atomically; only then is the marks file replaced (the same way) by an empty one. A crash before the
 * first move leaves the old pair; between the two, the new log with the old marks, which repeat deliveries it
 * already holds. Refused while a manager holds the journal ({@link JournalLock}), which a starting manager is in
 * turn while the compaction runs.
 */
public final class JournalCompaction {
    private JournalCompaction() {
    }

    /**
     * What a compaction did.
     *
     * @param before the journal as it was
     * @param after the journal as it is now
     */
    public record Outcome(JournalInfo before, JournalInfo after) {
    }

    /**
     * Compacts a journal in place.
     *
     * @param journal the journal file
     * @return what it held before and holds after
     * @throws IllegalStateException when a manager holds it, or it is not a journal
     * @throws IOException when it cannot be read or rewritten (the journal is then left as it was)
     */
    public static Outcome compact(Path journal) throws IOException {
        try (JournalLock lock = JournalLock.acquire(journal, "jparallel journal compact")) {
            JournalReader.Tally tally = new JournalReader.Tally();
            JournalContents c = JournalReader.read(journal, tally);
            JournalInfo before = JournalInfo.of(journal, c, tally, DeliveryMarks.read(journal, c.created(),
                    c.deliveryMarks()));
            Path dir = journal.toAbsolutePath().getParent();
            String name = journal.getFileName().toString();
            Path log = Files.createTempFile(dir, name + ".", ".compacting");
            try {
                sameModeAs(journal, log);
                write(c, log);
                Files.move(log, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(log);
            }
            Path marks = Files.createTempFile(dir, name + ".delivered.", ".compacting");
            try {
                Path old = DeliveryMarks.fileOf(journal);
                sameModeAs(Files.exists(old) ? old : journal, marks);
                DeliveryMarks.writeEmpty(marks, c.created());
                Files.move(marks, DeliveryMarks.fileOf(journal), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(marks);
            }
            forceDirectory(dir);
            return new Outcome(before, JournalInfo.of(journal));
        }
    }

    private static void write(JournalContents c, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            out.write(JournalFormat.fileHeader(c.identity(), c.created()));
            for (Map.Entry<String, JournalContents.ContextEntry> ctx : c.contexts().entrySet()) {
                JournalContents.ContextEntry e = ctx.getValue();
                out.write(JournalFormat.context(e.number, ctx.getKey(), e.setup));
                for (String key : e.delivered) {
                    out.write(JournalFormat.delivered(e.number, key));
                }
                for (Map.Entry<String, JournalContents.Stored> r : e.results.entrySet()) {
                    out.write(JournalFormat.result(e.number, r.getKey(), r.getValue().raw(), r.getValue().bytes()));
                }
                for (Map.Entry<String, String> f : e.failures.entrySet()) {
                    out.write(JournalFormat.failure(e.number, f.getKey(), f.getValue()));
                }
            }
            out.flush();
            channel.force(true);
        }
    }

    /** Gives a new file the old one's permissions (a temporary file is made with 0600). */
    private static void sameModeAs(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view != null) {
            Files.setPosixFilePermissions(to, view.readAttributes().permissions());
        }
    }

    /** Takes the moves to the disk where the file system allows a directory to be forced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // not every file system lets a directory be opened; the moves are made, if not yet forced
        }
    }
}
