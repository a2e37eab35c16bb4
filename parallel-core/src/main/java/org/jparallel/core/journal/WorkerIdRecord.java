package org.jparallel.core.journal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker ids a journal's runs have handed out, kept beside the journal in {@code FILE.workers} (one line: the
 * id the next worker started may have), so that a manager resumed on the journal starts its workers with ids past
 * every id its predecessors gave. A worker's output file is named after its id ({@code worker%d-port%p.output} by
 * default, and a restart that wants its workers back keeps the port): with ids starting again at 1, the restart's
 * new workers would replace the output files of the killed run's workers, the only trace of why their tasks died,
 * while those of them that came back to the restart still write to them.
 *
 * <p>Recorded before each start reaches a backend (a kill -9 right after cannot lose it), on the launcher's thread
 * (not the manager's loop: a journal on a stalled file system holds up the starts, not the dispatch), only when it
 * grows, and forced to disk before it replaces the file. A
 * journal started afresh ({@link JournalMode#FRESH}) starts again at 1, as does a manager without a journal.
 */
public final class WorkerIdRecord {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerIdRecord.class);

    private final Path file;
    private final int first;
    private int recorded;
    private boolean warned;

    private WorkerIdRecord(Path file, int first) {
        this.file = file;
        this.first = first;
        this.recorded = first;
    }

    /** @return the file beside {@code journal} that keeps the ids its runs handed out */
    public static Path fileFor(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".workers");
    }

    /**
     * @param journal the manager's journal, or {@code null} when it keeps none
     * @return the record: past the ids kept beside a resumed journal, else from 1. A kept file that cannot be read
     *     is warned about and ignored (ids start at 1: at worst output files of an earlier run are replaced)
     */
    public static WorkerIdRecord beside(JournalSettings journal) {
        if (journal == null) {
            return new WorkerIdRecord(null, 1);
        }
        Path file = fileFor(journal.file());
        if (journal.mode() == JournalMode.FRESH) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", file, e.toString());
            }
            return new WorkerIdRecord(file, 1);
        }
        return new WorkerIdRecord(file, read(file));
    }

    private static int read(Path file) {
        if (!Files.exists(file)) {
            return 1;
        }
        try {
            int next = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (next >= 1) {
                return next;
            }
            LOG.warn("{} holds no worker id ({}): worker ids start at 1", file, next);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not read the worker ids of the journal's earlier runs from {} ({}): worker ids start at"
                    + " 1, and this run's workers may replace the output files of earlier runs' workers", file,
                    e.toString());
        }
        return 1;
    }

    /** @return the id this run's first worker gets: past every id the journal's earlier runs handed out */
    public int firstId() {
        return first;
    }

    /**
     * Records that ids below {@code next} were handed out, before their workers start. A failure is warned about
     * once and otherwise ignored: a later restart may then reuse these ids' output files.
     *
     * @param next the id the next worker may have
     */
    public synchronized void handedOutBelow(int next) {
        if (file == null || next <= recorded) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // a stream, not a FileChannel: the launcher thread writing it may be interrupted by the close, which
            // would close a channel under the write
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write((next + "\n").getBytes(StandardCharsets.US_ASCII));
                out.getFD().sync(); // on disk before the rename: a host's crash leaves the old file or the new
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            recorded = next;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("could not record the worker ids handed out in {} ({}): a manager restarted on this journal"
                        + " may give their ids again, and replace these workers' output files", file, e.toString());
            }
        }
    }
}
