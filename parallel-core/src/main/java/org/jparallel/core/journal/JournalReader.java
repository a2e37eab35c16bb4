package org.jparallel.core.journal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a journal file record by record, checking each record's length and checksum; stops, with a warning, at
 * the first record that is cut short or damaged (the torn tail of a crash), so nothing after it is misread.
 */
public final class JournalReader {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    private JournalReader() {
    }

    /**
     * @param file an existing journal
     * @return what it holds up to its last whole record
     * @throws IOException when it cannot be read
     * @throws IllegalStateException when it is not a journal, or of another format version
     */
    public static JournalContents read(Path file) throws IOException {
        return read(file, new Tally());
    }

    /** What a reading met: the whole records by type, and the torn tail's description, if any. */
    static final class Tally {
        /** Whole records read, by their type byte (the header's included). */
        final long[] byType = new long[8];
        /** Why the reading stopped before the end of the file, or {@code null} when it read it all. */
        String torn;

        long records() {
            long n = 0;
            for (long c : byType) {
                n += c;
            }
            return n;
        }

        long of(byte type) {
            return byType[type];
        }
    }

    /** As {@link #read(Path)}, counting in {@code tally} what it reads. */
    static JournalContents read(Path file, Tally tally) throws IOException {
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = new byte[JournalFormat.MAGIC.length];
            int version;
            try {
                in.readFully(magic);
                version = in.readInt();
            } catch (EOFException e) {
                throw notAJournal(file, "it is shorter than a journal's header");
            }
            if (!Arrays.equals(magic, JournalFormat.MAGIC)) {
                throw notAJournal(file, "it does not start with a journal's mark");
            }
            if (version != JournalFormat.VERSION) {
                throw new IllegalStateException("The journal " + file + " has format version " + version
                        + "; this jparallel reads version " + JournalFormat.VERSION + ". Finish it with the jparallel"
                        + " that wrote it, or start afresh (JournalMode.FRESH).");
            }
            long position = magic.length + 4;
            String identity = null;
            long created = 0;
            Map<String, JournalContents.ContextEntry> contexts = new LinkedHashMap<>();
            Map<Integer, JournalContents.ContextEntry> byNumber = new HashMap<>();
            String torn = null;
            while (position < size) {
                long left = size - position;
                if (left < JournalFormat.RECORD_HEADER) {
                    torn = "a record's header is cut short";
                    break;
                }
                int length = in.readInt();
                int crc = in.readInt();
                if (length < 1 || length > left - JournalFormat.RECORD_HEADER) {
                    torn = "a record of " + length + " bytes runs past the end of the file";
                    break;
                }
                byte[] payload = in.readNBytes(length);
                if (JournalFormat.crc(payload, 0, length) != crc) {
                    torn = "a record's checksum does not match";
                    break;
                }
                if (identity == null) {
                    if (payload[0] != JournalFormat.HEADER) {
                        throw notAJournal(file, "its first record is not the header");
                    }
                    DataInputStream h = body(payload);
                    identity = h.readUTF();
                    created = h.readLong();
                } else {
                    apply(payload, contexts, byNumber);
                }
                if (payload[0] >= 0 && payload[0] < tally.byType.length) {
                    tally.byType[payload[0]]++;
                }
                position += JournalFormat.RECORD_HEADER + length;
            }
            if (identity == null) {
                throw notAJournal(file, "its header record is missing or damaged");
            }
            long dropped = size - position;
            tally.torn = torn;
            if (torn != null) {
                LOG.warn("The journal {} ends in a torn record ({}), as a crash while writing leaves it: read up to"
                        + " the last whole record at byte {}, dropping {} byte(s) after it", file, torn, position,
                        dropped);
            }
            return new JournalContents(identity, created, contexts, position, dropped);
        }
    }

    private static void apply(byte[] payload, Map<String, JournalContents.ContextEntry> contexts,
            Map<Integer, JournalContents.ContextEntry> byNumber) throws IOException {
        DataInputStream in = body(payload);
        switch (payload[0]) {
            case JournalFormat.CONTEXT -> {
                int number = in.readInt();
                String name = in.readUTF();
                JournalContents.ContextEntry e = new JournalContents.ContextEntry(number, in.readUTF());
                contexts.put(name, e);
                byNumber.put(number, e);
            }
            case JournalFormat.RESULT -> {
                JournalContents.ContextEntry e = byNumber.get(in.readInt());
                String key = in.readUTF();
                boolean raw = in.readByte() == 1;
                byte[] bytes = in.readAllBytes();
                if (e != null) {
                    e.result(key, new JournalContents.Stored(raw, bytes));
                }
            }
            case JournalFormat.FAILURE -> {
                JournalContents.ContextEntry e = byNumber.get(in.readInt());
                String key = in.readUTF();
                String message = in.readUTF();
                if (e != null) {
                    e.failure(key, message);
                }
            }
            case JournalFormat.DELIVERED -> {
                JournalContents.ContextEntry e = byNumber.get(in.readInt());
                String key = in.readUTF();
                if (e != null) {
                    e.delivered(key);
                }
            }
            default -> LOG.warn("skipping a journal record of unknown type {}", payload[0]);
        }
    }

    private static DataInputStream body(byte[] payload) {
        return new DataInputStream(new java.io.ByteArrayInputStream(payload, 1, payload.length - 1));
    }

    private static IllegalStateException notAJournal(Path file, String why) {
        return new IllegalStateException("The file " + file + " is not a jparallel journal (" + why + "). Name another"
                + " file, or start afresh (JournalMode.FRESH) to replace it.");
    }

}
