package org.jparallel.core.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds a journal: a manager while it runs, or {@code jparallel journal compact} while it rewrites the file.
 * An exclusive {@link FileLock} on {@code FILE.lock} beside the journal (released by the operating system when the
 * holder dies, even by kill -9, so a killed manager never leaves its journal locked); the file itself stays, with
 * the holder's pid and host for the message of whoever is refused.
 *
 * <p>The lock is taken on a file of its own, never opened otherwise, because the operating system drops a
 * process's lock on a file when the process closes any channel to that file; for the same reason a JVM notes the
 * journals it holds and refuses a second holder in the same JVM without opening the lock file again.
 */
public final class JournalLock implements AutoCloseable {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** @return the lock file of a journal */
    public static Path fileFor(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".lock");
    }

    /**
     * Takes a journal's lock, without waiting.
     *
     * @param journal the journal file (it need not exist yet)
     * @param what who takes it, for the message of whoever is refused later (e.g. "a manager")
     * @throws IllegalStateException when a manager or a compaction holds the journal
     * @throws UncheckedIOException when the lock file cannot be made
     */
    public static JournalLock acquire(Path journal, String what) {
        Path key = journal.toAbsolutePath().normalize();
        if (!HELD_HERE.add(key)) {
            throw inUse(journal, "this JVM");
        }
        FileChannel channel = null;
        try {
            Path dir = key.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            channel = FileChannel.open(fileFor(key), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(key);
                String holder = Files.readString(fileFor(key), StandardCharsets.UTF_8).trim();
                throw inUse(journal, holder.isEmpty() ? "another process" : holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((what + " (pid " + ProcessHandle.current().pid() + host() + ")\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new JournalLock(key, channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD_HERE.remove(key);
            throw new UncheckedIOException("cannot lock the journal " + journal + " (its lock file "
                    + fileFor(journal) + "): " + e, e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Whether {@link #close} ran: a second one must not free the claim of whoever holds the journal since. */
    private boolean closed;

    /** Releases the lock (the lock file stays); once: a later call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it all the same
        }
        closeQuietly(channel);
        HELD_HERE.remove(key);
    }

    private static IllegalStateException inUse(Path journal, String holder) {
        return new IllegalStateException("The journal " + journal + " is in use: held by " + holder + ". A journal"
                + " serves one manager at a time; wait for it to end (or stop it), or name another journal file.");
    }

    /** @return " on HOST" from the environment, or nothing (no name lookup: it may hang where DNS is amiss) */
    private static String host() {
        String h = System.getenv("HOSTNAME");
        return h == null || h.isBlank() ? "" : " on " + h;
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
