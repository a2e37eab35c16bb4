package org.jparallel.core.journal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The journal's bytes. A file is a header, then records, each written whole by one {@code write} call:
 *
 * <pre>
 * header:  "JPJOURNL" (8 bytes ASCII)  version (int, big-endian)  then one HEADER record
 * record:  length (int: payload bytes)  crc (int: CRC32C of the payload)  payload
 * payload: type (byte), then per type:
 *   HEADER    identity (UTF), created (long, epoch ms)
 *   CONTEXT   context number (int), name (UTF), setup (UTF: the setup's class and method)
 *   RESULT    context number (int), key (UTF), raw (byte: 1 when a returned byte[] as it came), result bytes (rest)
 *   FAILURE   context number (int), key (UTF), message (UTF)
 *   DELIVERED context number (int), key (UTF): in the delivery marks file ({@link DeliveryMarks}), not here
 * </pre>
 *
 * A record whose length runs past the end of the file, or whose checksum does not match, is the torn tail of a
 * write cut short by a crash: it and everything after it are dropped, never read.
 */
public final class JournalFormat {
    static final byte[] MAGIC = "JPJOURNL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Bytes before a record's payload: its length and checksum. */
    static final int RECORD_HEADER = 8;
    /** The largest payload a record may claim; beyond it a length is damage, not data. */
    static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;

    static final byte HEADER = 1;
    static final byte CONTEXT = 2;
    static final byte RESULT = 3;
    static final byte FAILURE = 4;
    static final byte DELIVERED = 5;

    private JournalFormat() {
    }

    /** @return the file's first bytes: magic, version and the header record */
    static byte[] fileHeader(String identity, long createdMillis) {
        byte[] header = record(out -> {
            out.writeByte(HEADER);
            out.writeUTF(identity);
            out.writeLong(createdMillis);
        });
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length);
        b.put(MAGIC).putInt(VERSION).put(header);
        return b.array();
    }

    static byte[] context(int number, String name, String setup) {
        return record(out -> {
            out.writeByte(CONTEXT);
            out.writeInt(number);
            out.writeUTF(name);
            out.writeUTF(setup);
        });
    }

    static byte[] result(int context, String key, boolean raw, byte[] result) {
        return record(out -> {
            out.writeByte(RESULT);
            out.writeInt(context);
            out.writeUTF(key);
            out.writeByte(raw ? 1 : 0);
            out.write(result);
        });
    }

    static byte[] failure(int context, String key, String message) {
        String m = message == null ? "" : message.length() > 8192 ? message.substring(0, 8192) : message;
        return record(out -> {
            out.writeByte(FAILURE);
            out.writeInt(context);
            out.writeUTF(key);
            out.writeUTF(m);
        });
    }

    static byte[] delivered(int context, String key) {
        return record(out -> {
            out.writeByte(DELIVERED);
            out.writeInt(context);
            out.writeUTF(key);
        });
    }

    /** @return CRC32C of {@code length} bytes at {@code offset} */
    static int crc(byte[] data, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(data, offset, length);
        return (int) c.getValue();
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** @return one framed record: length, checksum, payload */
    private static byte[] record(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(0); // room for length and checksum
            body.write(out);
            out.flush();
            byte[] r = bytes.toByteArray();
            int length = r.length - RECORD_HEADER;
            ByteBuffer.wrap(r).putInt(length).putInt(crc(r, RECORD_HEADER, length));
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
