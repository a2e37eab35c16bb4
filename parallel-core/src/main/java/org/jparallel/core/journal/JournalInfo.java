package org.jparallel.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a journal holds, counted for {@code jparallel journal info}: its records by kind, the keys by state, its
 * size in bytes (the log and its delivery marks), and whether it ends in a torn record. Read without the journal's
 * lock and without changing either file, so it may be taken while a manager runs (it then shows the journal as far
 * as the manager had written it).
 *
 * @param file the journal
 * @param identity the program it belongs to
 * @param created when it was started, in epoch milliseconds
 * @param records whole records in the log, its header included
 * @param contexts contexts journaled
 * @param resultRecords result records in the log (a delivered result's record included)
 * @param failureRecords final-failure records in the log
 * @param marks delivery marks in the marks file
 * @param delivered keys whose result the program received
 * @param undelivered keys whose result is journaled and not yet received: a restart hands them out
 * @param failed keys whose last record is a final failure: a restart runs them again
 * @param logBytes the log's size
 * @param marksBytes the marks file's size (0 when it is missing)
 * @param tornBytes bytes after the last whole record of the log (0 when it ends cleanly)
 * @param torn why the log's reading stopped before its end, or {@code null}
 */
public record JournalInfo(Path file, String identity, long created, long records, int contexts, long resultRecords,
                          long failureRecords, long marks, long delivered, long undelivered, long failed,
                          long logBytes, long marksBytes, long tornBytes, String torn) {

    /**
     * @param journal a journal file
     * @return what it holds
     * @throws IOException when it cannot be read
     * @throws IllegalStateException when it is not a journal
     */
    public static JournalInfo of(Path journal) throws IOException {
        JournalReader.Tally tally = new JournalReader.Tally();
        JournalContents c = JournalReader.read(journal, tally);
        return of(journal, c, tally, DeliveryMarks.read(journal, c.created(), c.deliveryMarks()));
    }

    /** @return the info of a journal read into {@code c} (its delivery marks applied), as {@code tally} counted */
    static JournalInfo of(Path journal, JournalContents c, JournalReader.Tally tally, DeliveryMarks.Found marks)
            throws IOException {
        long delivered = 0;
        long undelivered = 0;
        long failed = 0;
        for (JournalContents.ContextEntry e : c.contexts().values()) {
            delivered += e.delivered.size();
            undelivered += e.results.size();
            failed += e.failures.size();
        }
        Path marksFile = DeliveryMarks.fileOf(journal);
        return new JournalInfo(journal, c.identity(), c.created(), tally.records(), c.contexts().size(),
                tally.of(JournalFormat.RESULT), tally.of(JournalFormat.FAILURE), marks.marks(), delivered, undelivered,
                failed, Files.size(journal), Files.exists(marksFile) ? Files.size(marksFile) : 0, c.tornBytes(),
                tally.torn);
    }

    /** @return the records a compaction keeps: the header, one per context, one per key */
    public long recordsAfterCompaction() {
        return 1 + contexts + delivered + undelivered + failed;
    }

    /** @return the log's and the marks' bytes together */
    public long bytes() {
        return logBytes + marksBytes;
    }
}
