package org.jparallel.core.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to the journal on a thread of its own, so the manager's event loop never waits for the disk.
 *
 * <p>Flush policy (group commit): the thread takes every record waiting, writes them with one {@code write}
 * call (from then on they survive the death of this JVM: they are in the operating system's cache), and only
 * then runs each record's follow-up (for a result: hand it to the program). It calls {@code force} (the records
 * reach the disk, surviving a crash of the machine) when {@link #FORCE_INTERVAL_MILLIS} have passed since the
 * last force, or {@link #FORCE_RECORDS} records were written since, and at {@link #close()}.
 *
 * <p>A record that must be in the file before the caller goes on (a context's) is written by the caller with
 * {@link #appendNow}; the {@link JournalFile}'s lock keeps whole records from interleaving. Delivery marks, one per
 * result read, go to {@link DeliveryMarks}, which this thread's force takes to the disk too.
 *
 * <p>The file is written through a {@link RandomAccessFile}, not a {@code FileChannel}: a channel is closed for
 * good by an interrupt of a thread using it, and {@link #appendNow} runs on the program's threads, whose interrupts
 * (a cancelled future, an executor shutting down) are the program's business. {@code RandomAccessFile}'s writes
 * and {@code getFD().sync()} ignore interrupts, so no interrupt loses a record or leaves a flag changed.
 *
 * <p>Neither can an interrupt end a write or a force that the disk never answers, so {@link #close()} waits for
 * the journal's thread as long as it gets on (a write or a force of that thread returns at least every {@link
 * #CLOSE_WAIT_MILLIS}: a slow disk with a big backlog is waited for), and gives up past that bound with nothing
 * returned: it says so loudly and returns (a manager's close must end), and the thread closes the file itself, and
 * runs what was to follow it, if its write ever returns.
 */
final class JournalWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** The longest a written record waits for {@code force}. */
    static final long FORCE_INTERVAL_MILLIS = 100;
    /** The most records written between two {@code force} calls. */
    static final int FORCE_RECORDS = 8192;
    /** The longest {@link #close()} waits for the journal's thread with no write or force of it returning. */
    static final long CLOSE_WAIT_MILLIS = 10_000;
    private static final int THREAD_ENDED = 1;
    private static final int CLOSE_GAVE_UP = 2;
    private static final Entry STOP = new Entry(() -> new byte[0], null);

    /** A record to write, encoded on the journal's thread, and what to do once it is written. */
    private record Entry(Supplier<byte[]> record, Runnable then) {
    }

    private final JournalFile file;
    /** The file's path, for messages. */
    private final Path path;
    private final long closeWaitMillis;
    /** The clock of {@link #close()}'s wait, in nanoseconds (a test's fake), or null: {@link System#nanoTime}. */
    private final LongSupplier closeClock;
    /** {@link #THREAD_ENDED} and {@link #CLOSE_GAVE_UP}: whichever of the two comes second closes the file. */
    private final AtomicInteger ends = new AtomicInteger();
    /**
     * Counts the writes and forces of the journal's thread that returned (not {@link #appendNow}'s, on the program's
     * threads, nor a force of the marks that had nothing to force): {@link #close()}'s wait counts from the last.
     */
    private final AtomicLong progress = new AtomicLong();
    /** What {@link #close(Runnable, String)} runs once the file is closed, on the journal's thread when it gave up. */
    private volatile Runnable afterFile = () -> { };
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    /** Records appended whose follow-ups have not run yet: results on their way to the program through this writer. */
    private final AtomicInteger unhanded = new AtomicInteger();
    /** When {@link #unhanded} last rose from none ({@link System#nanoTime}). */
    private volatile long handingOnSince;
    /** {@link #progress} as {@link #handingOn} last saw it, and when it saw it move. */
    private volatile long progressSeen;
    private volatile long progressMovedAt;
    private final Thread thread;
    private volatile EventExecutor loop;
    /** Records appended on {@link #loop} in its current round; touched on that loop only. */
    private final List<Entry> roundPending = new ArrayList<>();
    private final Runnable endOfRound = this::endOfRound;
    /** Runs at each interval of the group commit and at close: forces the delivery marks, says whether it did. */
    private volatile BooleanSupplier alsoForce = () -> false;
    /** Runs on the journal's thread after the follow-ups of each batch: wakes the readers once a batch. */
    private volatile Runnable afterBatch = () -> { };

    /**
     * @param file the journal, positioned at its end ({@code startBytes}); this writer closes it
     * @param path the file's path, for messages
     */
    JournalWriter(RandomAccessFile file, Path path, long startBytes) {
        this(file, path, startBytes, CLOSE_WAIT_MILLIS, null);
    }

    /**
     * @param closeWaitMillis the longest {@link #close()} waits for the journal's thread (a test's shorter)
     * @param closeClock that wait's clock, in nanoseconds, or null for {@link System#nanoTime} (a test's fake)
     */
    JournalWriter(RandomAccessFile file, Path path, long startBytes, long closeWaitMillis, LongSupplier closeClock) {
        this.file = new JournalFile(file, startBytes, progress);
        this.path = path;
        this.closeWaitMillis = closeWaitMillis;
        this.closeClock = closeClock;
        this.thread = new Thread(this::run, "jparallel-journal");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a record; it is encoded, then written, on the journal's thread (so the caller, the manager's event
     * loop, spends nothing on it), and then {@code then} runs there. Called on the loop given to {@link
     * #batchOn}, records wait for the end of the loop's round and reach the journal's thread together, which
     * then wakes once per round, not once per record.
     */
    void append(Supplier<byte[]> record, Runnable then) {
        if (unhanded.getAndIncrement() == 0) {
            handingOnSince = System.nanoTime();
        }
        Entry e = new Entry(record, then);
        EventExecutor l = loop;
        if (l != null && l.inEventLoop()) {
            if (roundPending.isEmpty()) {
                l.execute(endOfRound);
            }
            roundPending.add(e);
        } else {
            queue.add(e);
        }
    }

    /** @param loop the event loop whose appends are handed over once per round */
    void batchOn(EventExecutor loop) {
        this.loop = loop;
    }

    private void endOfRound() {
        queue.addAll(roundPending);
        roundPending.clear();
    }

    /** @param r runs on the journal's thread after the follow-ups of each batch */
    void afterBatch(Runnable r) {
        afterBatch = r;
    }

    /**
     * @param r runs at each interval of the group commit and at close; returns whether it forced anything (a force
     *     that did counts as the journal's thread getting on, for {@link #close()}'s wait)
     */
    void alsoForce(BooleanSupplier r) {
        alsoForce = r;
    }

    /**
     * @return whether records appended have follow-ups not yet run: results (a task's failure as its last worker is
     *     lost, say) still on their way to the program, which must not be told no worker is left before they arrive
     */
    boolean handingOn() {
        if (unhanded.get() <= 0 || !thread.isAlive()) {
            return false; // a dead journal thread runs no follow-up: waiting for it would hold readers for ever
        }
        long now = System.nanoTime();
        long p = progress.get();
        if (p != progressSeen) {
            progressSeen = p;
            progressMovedAt = now;
        }
        long since = handingOnSince - progressMovedAt > 0 ? handingOnSince : progressMovedAt;
        // a journal whose writes stopped returning (a dead disk) holds readers no longer than its close waits for it
        return now - since < TimeUnit.MILLISECONDS.toNanos(closeWaitMillis);
    }

    /** @return the journal's thread, which runs the follow-ups */
    Thread thread() {
        return thread;
    }

    /** Writes a record now, on the caller's thread: after a failed write, or once closed, not at all. */
    void appendNow(byte[] record) {
        file.appendNow(record);
    }

    /** @return bytes in the file, as written so far */
    long bytes() {
        return file.bytes();
    }

    private void run() {
        try {
            writeUntilStopped();
        } finally {
            if ((ends.getAndUpdate(e -> e | THREAD_ENDED) & CLOSE_GAVE_UP) != 0) {
                // close() gave up waiting for this thread: the file, and what was to follow it, are its own
                file.close();
                LOG.info("the journal {}'s write returned after its close gave up waiting: closed late ({})", path,
                        file.counts());
                try {
                    afterFile.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("closing the journal {} late: {}", path, e.toString());
                }
            }
        }
    }

    private void writeUntilStopped() {
        List<Entry> batch = new ArrayList<>();
        long lastForce = System.nanoTime();
        long unforced = 0;
        boolean stop = false;
        while (!stop) {
            Entry first;
            try {
                // wakes at least every interval: delivery marks may need a force with no record written
                first = queue.poll(Math.max(1, FORCE_INTERVAL_MILLIS - (System.nanoTime() - lastForce) / 1_000_000),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // not a way to stop (close queues STOP): whoever interrupted this thread, the records still go
                continue;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, 4096);
                stop = batch.remove(STOP);
                unforced += write(batch);
                for (Entry e : batch) {
                    runThen(e);
                    unhanded.decrementAndGet(); // after its follow-up: the result it hands on has reached its context
                }
                afterBatch.run();
                batch.clear();
            }
            boolean due = (System.nanoTime() - lastForce) / 1_000_000 >= FORCE_INTERVAL_MILLIS;
            if (due || unforced >= FORCE_RECORDS || stop) {
                if (unforced > 0) {
                    file.force();
                }
                alsoForce(); // the marks: a no-op when none were stored since
                lastForce = System.nanoTime();
                unforced = 0;
            }
        }
    }

    /**
     * Encodes and writes a batch. A record whose encoding throws breaks the journal as a failed write does
     * ({@link JournalFile#fail}: loudly, and no record is written after it), after the records encoded before it are
     * written; this thread goes on, so the follow-ups of that record and of every one after it still run.
     */
    private int write(List<Entry> batch) {
        byte[][] encoded = new byte[batch.size()][];
        long size = 0; // a long: results of up to the frame limit each, thousands to a batch
        int n = 0;
        IOException unencodable = null;
        for (; n < encoded.length; n++) {
            try {
                encoded[n] = batch.get(n).record.get();
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.error("a journal record could not be encoded", e); // with its stack: a bug to find
                unencodable = new IOException("a record could not be encoded: " + e, e);
                break;
            }
            size += encoded[n].length;
        }
        if (size > 0) {
            file.write(encoded, n, size);
        }
        if (unencodable != null) {
            file.fail(unencodable);
        }
        return size == 0 ? 0 : n;
    }

    private void runThen(Entry e) {
        if (e.then != null) {
            try {
                e.then.run();
            } catch (RuntimeException | Error ex) {
                // an OutOfMemoryError too: this thread must go on, or every record after it waits forever
                LOG.error("handing a journaled result on failed", ex);
            }
        }
    }

    private void alsoForce() {
        try {
            if (alsoForce.getAsBoolean()) {
                progress.incrementAndGet();
            }
        } catch (RuntimeException e) {
            LOG.warn("forcing the delivery marks to disk: {}", e.toString());
        }
    }

    /** Writes what is queued, forces it to disk and closes the file, as {@link #close(Runnable, String)}. */
    @Override
    public void close() {
        close(() -> { }, "");
    }

    /**
     * Writes what is queued, forces it to disk, closes the file and then runs {@code afterFile}. On an interrupted
     * thread too it waits for the journal's thread (the flag is set again when it returns): the records queued are
     * the program's results. It gives up once {@link #CLOSE_WAIT_MILLIS} pass with no write or force of that thread
     * returning (a disk or network file system that stopped answering): it logs an error, then {@code leftBehind}
     * (what the caller leaves undone), and leaves the file and {@code afterFile} to the journal's thread, which runs
     * them if its write ever returns.
     *
     * @return whether the journal was written and closed (else the close gave up, and the thread has the rest)
     */
    boolean close(Runnable afterFile, String leftBehind) {
        this.afterFile = afterFile;
        queue.add(STOP);
        // the thread that ends just as the wait gives up is done with the file too: whichever of the two comes second
        // (the thread's end, close giving up) closes it
        if ((closeClock == null ? ProgressWait.join(thread, progress::get, closeWaitMillis)
                : ProgressWait.join(thread, progress::get, closeWaitMillis, closeClock))
                || (ends.getAndUpdate(e -> e | CLOSE_GAVE_UP) & THREAD_ENDED) != 0) {
            file.close();
            if (LOG.isDebugEnabled()) {
                LOG.debug("journal closed: {}", file.counts());
            }
            afterFile.run();
            return true;
        }
        LOG.error("The journal {} could not be written to disk: for {} ms no write or force of the file returned (is"
                + " its disk or file system answering?). The close goes on without it: the last results journaled may"
                + " not be on disk, and a run resumed from it computes them again.{} Check the file system of {}.",
                path, closeWaitMillis, leftBehind, path);
        return false;
    }
}
