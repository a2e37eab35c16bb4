package org.jparallel.core.protocol;

import java.util.Arrays;

/**
 * SHA-256 (FIPS 180-4), for the handshake's HMAC ({@link HmacSha256}). The JDK's
 * {@code MessageDigest.getInstance("SHA-256")} gives the same bytes, but its first use in a JVM sets
 * up the security provider framework (the provider list, the SUN provider and its hundred service
 * entries, a reflective instantiation): about 20 ms of CPU in a fresh JVM, measured on the way to a
 * fresh worker's first result, where nothing else needs a provider when TLS is off (see
 * docs/benchmarks/2026-12-06-cold2.md). Checked against the JDK's digest by Sha256Test. One instance
 * is not thread-safe.
 */
final class Sha256 {
    /** The digest's length in bytes. */
    static final int LENGTH = 32;
    private static final int[] K = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    private static final int[] INITIAL = {
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

    private final int[] state = new int[8];
    private final int[] schedule = new int[64];
    private final byte[] block = new byte[64];
    private int buffered;
    private long total;

    Sha256() {
        reset();
    }

    private void reset() {
        System.arraycopy(INITIAL, 0, state, 0, 8);
        buffered = 0;
        total = 0;
    }

    /** Adds bytes to the message. */
    void update(byte[] bytes) {
        update(bytes, 0, bytes.length);
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset} to the message. */
    void update(byte[] bytes, int offset, int length) {
        total += length;
        int i = offset;
        int end = offset + length;
        if (buffered > 0) {
            int n = Math.min(64 - buffered, length);
            System.arraycopy(bytes, i, block, buffered, n);
            buffered += n;
            i += n;
            if (buffered < 64) {
                return;
            }
            compress(block, 0);
            buffered = 0;
        }
        for (; end - i >= 64; i += 64) {
            compress(bytes, i);
        }
        buffered = end - i;
        System.arraycopy(bytes, i, block, 0, buffered);
    }

    /** @return the digest of {@code bytes} added to the message so far (then starts a new message) */
    byte[] digest(byte[] bytes) {
        update(bytes);
        return digest();
    }

    /** @return the digest of the message so far (then starts a new message) */
    byte[] digest() {
        long bits = total * 8;
        block[buffered++] = (byte) 0x80;
        if (buffered > 56) {
            Arrays.fill(block, buffered, 64, (byte) 0);
            compress(block, 0);
            buffered = 0;
        }
        Arrays.fill(block, buffered, 56, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[56 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress(block, 0);
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            int s = state[i];
            out[4 * i] = (byte) (s >>> 24);
            out[4 * i + 1] = (byte) (s >>> 16);
            out[4 * i + 2] = (byte) (s >>> 8);
            out[4 * i + 3] = (byte) s;
        }
        Arrays.fill(block, (byte) 0);
        Arrays.fill(schedule, 0);
        reset();
        return out;
    }

    private void compress(byte[] in, int offset) {
        int[] w = schedule;
        for (int t = 0; t < 16; t++) {
            int p = offset + 4 * t;
            w[t] = (in[p] & 0xff) << 24 | (in[p + 1] & 0xff) << 16 | (in[p + 2] & 0xff) << 8 | (in[p + 3] & 0xff);
        }
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        int e = state[4];
        int f = state[5];
        int g = state[6];
        int h = state[7];
        for (int t = 0; t < 64; t++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = h + s1 + ch + K[t] + w[t];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = s0 + maj;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
