package org.jparallel.core.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's file under one lock, for its {@link JournalWriter}: records written whole and in order, by the
 * journal's thread ({@link #write(byte[][], int, long)}) and by the program's threads ({@link #appendNow}), forced,
 * and closed once. After the first failure (a write, a force, a record that could not be encoded) nothing more is
 * written: the run goes on without its journal. The journal's thread's writes and forces that return are counted
 * on the progress counter its close waits on.
 */
final class JournalFile {
    /** The writer's: these messages are its own. */
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** The most bytes of small records gathered into one write ({@link #writePieces}). */
    static final int WRITE_PIECE = 1 << 20;

    private final RandomAccessFile file;
    private final AtomicLong progress;
    /** The journal's thread's: small records gathered for one write. */
    private final byte[] piece = new byte[WRITE_PIECE];
    private final ReentrantLock lock = new ReentrantLock();
    private long bytes;
    private long records;
    private long forces;
    /** Set by {@link #close()} under the lock: a record appended after it is not journaled. */
    private boolean closed;
    /** Set when a write failed: later records are no longer written. */
    private volatile IOException broken;

    /**
     * @param file the journal, positioned at its end ({@code startBytes}); {@link #close()} closes it
     * @param progress counts the writes and forces of the journal's thread that returned
     */
    JournalFile(RandomAccessFile file, long startBytes, AtomicLong progress) {
        this.file = file;
        this.bytes = startBytes;
        this.progress = progress;
    }

    /** Writes a record now, on the caller's thread (not the journal's thread getting on: no progress). */
    void appendNow(byte[] record) {
        lock.lock();
        try {
            if (closed) {
                LOG.debug("a record after the journal was closed is not journaled");
            } else if (broken == null) {
                file.write(record);
                bytes += record.length;
                records++;
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            lock.unlock();
        }
    }

    /** @return bytes in the file, as written so far */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the first {@code n} records of {@code encoded}, {@code size} bytes, on the journal's thread. */
    void write(byte[][] encoded, int n, long size) {
        lock.lock();
        try {
            if (broken == null) {
                writePieces(encoded, n);
                bytes += size;
                records += n;
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the first {@code n} records in order, the small ones gathered into {@link #piece} (one write per
     * {@link #WRITE_PIECE} bytes rather than one per record), a bigger one as it is: a batch is never copied into
     * one array of its own size, which could not be made for a batch of big results (and overflowed past 2 GiB).
     */
    private void writePieces(byte[][] encoded, int n) throws IOException {
        int at = 0;
        for (int i = 0; i < n; i++) {
            byte[] r = encoded[i];
            if (at > 0 && at + r.length > piece.length) {
                file.write(piece, 0, at);
                progress.incrementAndGet();
                at = 0;
            }
            if (r.length > piece.length) {
                file.write(r); // writes it all (or throws), as every write here
                progress.incrementAndGet();
            } else {
                System.arraycopy(r, 0, piece, at, r.length);
                at += r.length;
            }
        }
        if (at > 0) {
            file.write(piece, 0, at);
            progress.incrementAndGet();
        }
    }

    /** Forces what was written to the disk, on the journal's thread. */
    void force() {
        lock.lock();
        try {
            if (broken == null) {
                file.getFD().sync();
                progress.incrementAndGet();
                forces++;
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            lock.unlock();
        }
    }

    /** Breaks the journal, loudly the first time: nothing more is written. */
    void fail(IOException e) {
        lock.lock(); // held already when a write here failed
        try {
            if (broken == null) {
                broken = e;
                LOG.error("The journal can no longer be written ({}): the run goes on, but results from now on are"
                        + " not kept for a restart", e.toString());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the file once, when the journal's thread is done with it. */
    void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                file.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the journal: {}", e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** @return "{records} records, {bytes} bytes, {forces} forces", for messages */
    String counts() {
        return records + " records, " + bytes + " bytes, " + forces + " forces";
    }
}
