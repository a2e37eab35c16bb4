package org.jparallel.core.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's delivery marks, in a file of their own beside it ({@code JOURNAL.delivered}), written through a
 * memory mapping: marking a result delivered is a few stores into memory the operating system shares with the
 * file, not a system call, so the reader's thread pays about a tenth of a microsecond per result, and the mark
 * survives the death of the JVM as soon as it is stored. {@link #force} (the journal's group commit) takes the
 * marks to the disk.
 *
 * <p>The file: {@code "JPMARKS1"}, then the journal's creation time (a mark file left by another journal is
 * ignored), then records as in {@link JournalFormat} (length, CRC32C, payload: the context number and the key),
 * then zeros where the mapping reaches past the last record: a length of 0 is the clean end.
 *
 * <p>Marks are stored on the program's threads, whose interrupts (a cancelled future, an executor shutting down)
 * are the program's business. A mapping needs a {@link FileChannel}, which an interrupt of a thread using it closes
 * for good ({@link ClosedByInterruptException}): every operation on the channel (a new mapping once per
 * {@link #CHUNK} of marks, the truncation at the close) runs with the caller's interrupt flag cleared, set again
 * after it; an interrupt that comes during the operation (from another thread) closes the channel all the same, so
 * the channel is then opened again by its path and the operation run again (each retry takes a new interrupt: no
 * busy loop). The header is written through a {@link RandomAccessFile}, whose writes ignore interrupts; the stores
 * into the mapping and its {@code force} are not channel operations.
 */
final class DeliveryMarks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMarks.class);
    private static final byte[] MAGIC = "JPMARKS1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 8;
    /** Bytes mapped at a time. */
    static final int CHUNK = 1 << 20;

    private final Path file;
    /** Takes a mapping to the disk: {@link MappedByteBuffer#force()}, or a test's that fails as a dead disk's. */
    private final Consumer<MappedByteBuffer> forcer;
    /** Opened again when an interrupt closed it; guarded by {@code this}. */
    private FileChannel channel;
    private MappedByteBuffer map;
    /** The file position of {@code map}'s start. */
    private long mapStart;
    private boolean closed;
    /** Marks asked for after the close, which cannot be made: the first is warned of. */
    private long unmarkedAfterClose;
    /** {@link #bytes()} at the last force. */
    private long forced;

    private DeliveryMarks(Path file, long end, Consumer<MappedByteBuffer> forcer) throws IOException {
        this.file = file;
        this.forcer = forcer;
        this.channel = open(file);
        try {
            remap(end);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** @return the marks file of a journal */
    static Path fileOf(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".delivered");
    }

    /** Starts an empty marks file for a journal created at {@code created}. */
    static DeliveryMarks create(Path journal, long created) throws IOException {
        return create(journal, created, MappedByteBuffer::force);
    }

    /** {@link #create(Path, long)} with its mappings forced by {@code forcer} (a test's, failing as a dead disk). */
    static DeliveryMarks create(Path journal, long created, Consumer<MappedByteBuffer> forcer) throws IOException {
        writeEmpty(fileOf(journal), created);
        return new DeliveryMarks(fileOf(journal), HEADER, forcer);
    }

    /**
     * What {@link #read} found in a marks file.
     *
     * @param present whether the file exists and belongs to the journal (its start time matches)
     * @param end the file position after the last whole mark
     * @param marks how many whole marks it holds
     * @param bytes the file's size
     */
    record Found(boolean present, int end, long marks, long bytes) {
    }

    /**
     * Reads the marks of a journal created at {@code created}, handing each to {@code mark} (context number, key),
     * without changing the file. A torn mark ends the reading, with a warning.
     */
    static Found read(Path journal, long created, BiConsumer<Integer, String> mark) throws IOException {
        Path file = fileOf(journal);
        if (!Files.exists(file)) {
            return new Found(false, 0, 0, 0);
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < HEADER || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)
                || b.getLong(MAGIC.length) != created) {
            LOG.warn("The delivery marks {} are not those of the journal {}: they are ignored (results the"
                    + " journal holds will be delivered again)", file, journal);
            return new Found(false, 0, 0, all.length);
        }
        int p = HEADER;
        long count = 0;
        while (p + JournalFormat.RECORD_HEADER <= all.length) {
            int length = b.getInt(p);
            if (length == 0) {
                break; // the clean end: zeros past the last mark
            }
            int crc = b.getInt(p + 4);
            if (length < 0 || length > all.length - p - JournalFormat.RECORD_HEADER
                    || JournalFormat.crc(all, p + JournalFormat.RECORD_HEADER, length) != crc) {
                LOG.warn("The delivery marks {} end in a torn mark at byte {}, as a crash while writing leaves them:"
                        + " read up to it", file, p);
                break;
            }
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.ByteArrayInputStream(all, p + JournalFormat.RECORD_HEADER + 1, length - 1));
            mark.accept(in.readInt(), in.readUTF());
            count++;
            p += JournalFormat.RECORD_HEADER + length;
        }
        return new Found(true, p, count, all.length);
    }

    /**
     * Reads the marks of a journal created at {@code created}, handing each to {@code mark} (context number,
     * key), and opens the file to add more after them; a missing file or one of another journal starts afresh.
     */
    static DeliveryMarks resume(Path journal, long created, BiConsumer<Integer, String> mark) throws IOException {
        Found found = read(journal, created, mark);
        if (!found.present()) {
            return create(journal, created);
        }
        try (RandomAccessFile f = new RandomAccessFile(fileOf(journal).toFile(), "rw")) {
            f.setLength(found.end()); // drops a torn mark and the zeros: the mapping extends the file with zeros again
        }
        return new DeliveryMarks(fileOf(journal), found.end(), MappedByteBuffer::force);
    }

    /** Writes an empty marks file for a journal created at {@code created} to {@code file} (not mapped). */
    static void writeEmpty(Path file, long created) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
            f.write(MAGIC);
            f.writeLong(created);
            f.getFD().sync();
        }
    }

    private void remap(long at) throws IOException {
        map = onChannel(c -> c.map(FileChannel.MapMode.READ_WRITE, at, CHUNK));
        mapStart = at;
    }

    /** An operation on the marks' channel; run again when an interrupt closed the channel, so idempotent. */
    private interface ChannelOp<T> {
        T on(FileChannel c) throws IOException;
    }

    /**
     * Runs an operation on the channel whatever the caller's interrupt status (see the class comment): the flag
     * is cleared for it and set again after; a channel an interrupt closed during it is opened again and the
     * operation run again. Called under this object's lock (or in the constructor).
     */
    private <T> T onChannel(ChannelOp<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return op.on(channel);
                } catch (ClosedByInterruptException e) {
                    LOG.debug("an interrupt closed the delivery marks' channel: opened again");
                    channel = open(file);
                    // after the open: the interrupt that closed the channel, and any that came during the open,
                    // which the retried operation would otherwise take for its own (closing the new channel)
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stores a mark; it survives this JVM's death once this returns. */
    synchronized void mark(byte[] record) {
        if (closed) {
            // a result the program held past the journal's close (a close, the context's or the manager's, tried again
            // after it, its first one having failed to mark): nothing can mark it now
            if (unmarkedAfterClose++ == 0) {
                LOG.warn("Results read from the journal were left without their delivery marks: the journal was closed"
                        + " before they could be made ({}; a close, the context's or the manager's, that failed to"
                        + " mark them was tried again after the journal closed). They may be delivered again after a"
                        + " restart.", file);
            } else {
                LOG.debug("a delivery after the journal was closed is not journaled");
            }
            return;
        }
        try {
            if (map.remaining() < record.length) {
                forcer.accept(map); // the next force() reaches only the new mapping
                remap(mapStart + map.position());
                if (record.length > CHUNK) {
                    throw new IOException("a delivery mark of " + record.length + " bytes");
                }
            }
            map.put(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the delivery marks: " + e, e);
        }
    }

    /** @return the bytes of marks stored so far (the file's zeros past them not counted) */
    synchronized long bytes() {
        return mapStart + map.position();
    }

    /**
     * Takes the marks stored so far to the disk; nothing when none were stored since the last time.
     *
     * @return whether it forced (marks were stored since the last time and the marks are not closed)
     */
    boolean force() {
        MappedByteBuffer m;
        synchronized (this) {
            long now = mapStart + map.position();
            m = closed || now == forced ? null : map;
            forced = now;
        }
        if (m != null) {
            forcer.accept(m);
        }
        return m != null;
    }

    /** @return whether the marks' channel is open (a test's look after the close) */
    synchronized boolean channelOpen() {
        return channel.isOpen();
    }

    /**
     * Forces the marks, cuts the file after the last one and closes the channel; from then on a mark is refused
     * ({@link #mark}). Closed first, whatever fails after: a force that fails (on Java 17 a failed {@code msync}
     * throws) is logged, and no store goes into the mapping after it, nor after the journal is opened again and
     * the file cut and mapped anew (two writers of one file, a store past its end). Throws no exception (an Error still passes).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long end = bytes();
        try {
            forcer.accept(map);
        } catch (RuntimeException e) {
            LOG.warn("The delivery marks {} could not be forced to disk at the journal's close ({}): the last marks may"
                    + " not be on disk, and the results they mark may be delivered again after a restart.", file,
                    e.toString());
        } finally {
            closeChannel(end);
        }
    }

    /** Cuts the file at {@code end} and closes the channel, whatever the cut throws. */
    private void closeChannel(long end) {
        try {
            onChannel(c -> c.truncate(end)); // the zeros past the last mark go; the mapping is not touched again
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the delivery marks: {}", e.toString());
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing the delivery marks: {}", e.toString());
            }
        }
    }
}
