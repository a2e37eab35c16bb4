package org.jparallel.core.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's result journal: opens (or creates) the file, checks that it belongs to this program, hands each
 * context its {@link JournalContext}, and writes through a {@link JournalWriter}.
 *
 * <p>It runs on the program's threads (a manager is made, a context made or read, on them), so none of its file
 * operations may depend on their interrupt status: see {@link JournalWriter} and {@link DeliveryMarks}.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final JournalContents contents;
    private final JournalWriter writer;
    private final DeliveryMarks marks;
    private final JournalLock lock;
    private final Map<String, JournalContext> opened = new HashMap<>();
    private int nextContextNumber;
    /** Set by {@link #close()}: {@code false} once it gave up waiting for the disk. */
    private volatile boolean diskAnswered = true;

    private Journal(Path file, JournalContents contents, JournalWriter writer, DeliveryMarks marks, JournalLock lock) {
        this.file = file;
        this.lock = lock;
        this.contents = contents;
        this.writer = writer;
        this.marks = marks;
        writer.alsoForce(marks::force);
        for (JournalContents.ContextEntry e : contents.contexts().values()) {
            nextContextNumber = Math.max(nextContextNumber, e.number + 1);
        }
    }

    /**
     * Opens the journal the settings name: resumes an existing one of the same program, or starts one.
     *
     * @throws IllegalStateException when the file is another program's journal, or not a journal, or in use
     * @throws UncheckedIOException when it cannot be read or written
     */
    public static Journal open(JournalSettings settings) {
        return open(settings, JournalLock.acquire(settings.file(), "a manager"));
    }

    /**
     * Opens the journal the settings name, as {@link #open(JournalSettings)}, with its lock already taken (a
     * manager takes it before it reads or writes the secret file beside the journal). The journal releases the
     * lock when it closes, or here when it cannot be opened.
     */
    public static Journal open(JournalSettings settings, JournalLock lock) {
        return open(settings, lock, JournalWriter::new);
    }

    /** Makes the journal's writer over its file, opened and positioned at its end (a test's stalls its writes). */
    interface WriterMaker {
        JournalWriter make(RandomAccessFile out, Path file, long startBytes) throws IOException;
    }

    /** Opens the journal as {@link #open(JournalSettings, JournalLock)}, its writer made by {@code writers}. */
    static Journal open(JournalSettings settings, JournalLock lock, WriterMaker writers) {
        try {
            return openLocked(settings, lock, writers);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static Journal openLocked(JournalSettings settings, JournalLock lock, WriterMaker writers) {
        Path file = settings.file();
        try {
            boolean resume = settings.mode() == JournalMode.RESUME && Files.exists(file) && Files.size(file) > 0;
            if (resume) {
                JournalContents contents = JournalReader.read(file);
                if (!contents.identity().equals(settings.identity())) {
                    throw new IllegalStateException("The journal " + file + " belongs to the program '"
                            + contents.identity() + "', not to this one ('" + settings.identity() + "'). Name another"
                            + " journal file, or start afresh with journal(path, JournalMode.FRESH)"
                            + " (jparallel.manager.journal-mode=fresh), which discards its results.");
                }
                RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
                DeliveryMarks marks;
                try {
                    if (contents.tornBytes() > 0) {
                        out.setLength(contents.validLength());
                    }
                    out.seek(contents.validLength());
                    marks = DeliveryMarks.resume(file, contents.created(), contents.deliveryMarks());
                } catch (IOException | RuntimeException e) {
                    out.close();
                    throw e;
                }
                LOG.info("resuming from the journal {}: {} context(s), {} result(s) to hand out again, {} delivered",
                        file, contents.contexts().size(), count(contents, true), count(contents, false));
                return new Journal(file, contents, writer(writers, out, file, contents.validLength(), marks), marks,
                        lock);
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
            long created = System.currentTimeMillis();
            byte[] header = JournalFormat.fileHeader(settings.identity(), created);
            DeliveryMarks marks;
            try {
                out.setLength(0);
                out.write(header);
                out.getFD().sync();
                marks = DeliveryMarks.create(file, created);
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
            LOG.info("journal {} started for the program '{}'", file, settings.identity());
            return new Journal(file, JournalContents.empty(settings.identity(), created), writer(writers, out, file,
                    header.length, marks), marks, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("The journal " + file + " cannot be opened: " + e, e);
        }
    }

    /**
     * @return the writer {@code writers} makes; the file and the marks are closed when it cannot be made (the marks
     *     too when the file's close throws, which is then suppressed in what the maker threw)
     */
    private static JournalWriter writer(WriterMaker writers, RandomAccessFile out, Path file, long startBytes,
            DeliveryMarks marks) throws IOException {
        try {
            return writers.make(out, file, startBytes);
        } catch (IOException | RuntimeException e) {
            try {
                out.close();
            } catch (IOException | RuntimeException c) {
                e.addSuppressed(c);
            } finally {
                try {
                    marks.close();
                } catch (RuntimeException c) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
    }

    private static long count(JournalContents c, boolean undelivered) {
        long n = 0;
        for (JournalContents.ContextEntry e : c.contexts().values()) {
            n += undelivered ? e.results.size() : e.delivered.size();
        }
        return n;
    }

    /**
     * The journal of one context of this run: the one already journaled under that name, or a new one.
     *
     * @param name the context's name
     * @param setup a description of its setup (its class and method)
     * @throws IllegalStateException when the journal holds the context with another setup
     */
    public synchronized JournalContext context(String name, String setup) {
        JournalContext open = opened.get(name);
        if (open != null) {
            return open;
        }
        JournalContents.ContextEntry entry = contents.contexts().get(name);
        if (entry != null && !entry.setup.equals(setup)) {
            throw new IllegalStateException("The journal " + file + " holds the context '" + name + "' with the setup "
                    + entry.setup + ", and this run makes it with the setup " + setup + ": its results may not"
                    + " hold for the new setup. Give the context another name, or start afresh with"
                    + " journal(path, JournalMode.FRESH) (jparallel.manager.journal-mode=fresh).");
        }
        if (entry == null) {
            entry = new JournalContents.ContextEntry(nextContextNumber++, setup);
            writer.appendNow(JournalFormat.context(entry.number, name, setup));
        }
        JournalContext c = new JournalContext(entry, writer, marks);
        opened.put(name, c);
        return c;
    }

    /**
     * @return whether results journaled are still on their way to their contexts (written or not, their follow-ups
     *     not run yet): a reader must not be told no worker is left before they arrive
     */
    public boolean handingOn() {
        return writer.handingOn();
    }

    /**
     * Lets the results the journal hands on be announced once per batch written rather than once each.
     *
     * @param deferOn gets the journal's thread, whose wake-ups the caller then defers
     * @param afterBatch runs on that thread after each batch's results are handed on
     */
    public void batchWakeups(java.util.function.Consumer<Thread> deferOn, Runnable afterBatch) {
        deferOn.accept(writer.thread());
        writer.afterBatch(afterBatch);
    }

    /** @param loop the manager's event loop: the results it journals reach the journal's thread once per round */
    public void batchOn(io.netty.util.concurrent.EventExecutor loop) {
        writer.batchOn(loop);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the journal's size in bytes, as written so far, its delivery marks included */
    public long bytes() {
        return writer.bytes() + marks.bytes();
    }

    /**
     * Writes what is queued, forces it to disk and closes the file, then the delivery marks, then lets go of the
     * lock. The wait for the disk is bounded ({@link JournalWriter#close(Runnable, String)}): when it gives up (no
     * write or force returned for {@link JournalWriter#CLOSE_WAIT_MILLIS}), the marks and the lock are left to the
     * journal's thread, which closes them once its write returns, so the journal is not opened again (here or by
     * another process) while a late write could still land in it, and this close touches that disk no further.
     */
    @Override
    public void close() {
        diskAnswered = writer.close(this::closeMarksAndLock, " Its delivery marks are forced, and the journal let go"
                + " of, only once that write returns: till then it cannot be opened again. The run is not marked"
                + " closed beside it either (a run resumed from it waits for its workers as after a crash).");
    }

    private void closeMarksAndLock() {
        try {
            marks.close();
        } finally {
            lock.close();
        }
    }

    /**
     * @return {@code false} once a close gave up waiting for the disk (its journal thread has the rest): the caller
     *     then writes nothing more beside the journal
     */
    public boolean diskAnswered() {
        return diskAnswered;
    }
}
