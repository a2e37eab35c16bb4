package org.jparallel.cli.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the head and the tail of a stream, dropping its middle past a bound, so a task that prints gigabytes
 * sends back a bounded amount and says how much it dropped.
 */
final class OutputCapture {
    private final int headLimit;
    private final byte[] tail;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private long total;
    private int tailStart;
    private int tailSize;

    /** @param maxBytes at most this many bytes are kept: the first half and the last half */
    OutputCapture(int maxBytes) {
        this.headLimit = Math.max(1, maxBytes / 2);
        this.tail = new byte[Math.max(1, maxBytes - headLimit)];
    }

    /** Reads {@code in} to its end. */
    void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            add(buf, 0, n);
        }
    }

    synchronized void add(byte[] b, int off, int len) {
        total += len;
        int toHead = (int) Math.min(len, headLimit - head.size());
        if (toHead > 0) {
            head.write(b, off, toHead);
            off += toHead;
            len -= toHead;
        }
        for (int i = 0; i < len; i++) {
            tail[(tailStart + tailSize) % tail.length] = b[off + i];
            if (tailSize < tail.length) {
                tailSize++;
            } else {
                tailStart = (tailStart + 1) % tail.length;
            }
        }
    }

    /** @return how many bytes were read and not kept */
    synchronized long dropped() {
        return total - head.size() - tailSize;
    }

    /** @return the bytes kept, with a line naming how many were dropped between head and tail */
    synchronized byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.size() + tailSize + 64);
        out.writeBytes(head.toByteArray());
        long dropped = dropped();
        if (dropped > 0) {
            byte[] note = ("\n[jparallel: " + dropped + " bytes dropped here]\n").getBytes(StandardCharsets.UTF_8);
            out.writeBytes(note);
        }
        for (int i = 0; i < tailSize; i++) {
            out.write(tail[(tailStart + i) % tail.length]);
        }
        return out.toByteArray();
    }
}
