package org.jparallel.core.protocol;

import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over {@link Sha256}, for the handshake's proofs. The JDK's
 * {@code javax.crypto.Mac} gives the same bytes, but its first use in a JVM initialises the JCE
 * (jurisdiction policy files, provider checks), and even {@code MessageDigest} sets up the security
 * provider framework, on the path to a fresh worker's first result (see {@link Sha256}). One instance
 * holds one key and is not thread-safe.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;
    private final Sha256 digest;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private boolean started;

    /** @param key the key, of any length (longer than the block size: hashed first, as the RFC says) */
    HmacSha256(byte[] key) {
        digest = new Sha256();
        byte[] k = key.length > BLOCK ? digest.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Adds bytes to the message. */
    HmacSha256 update(byte[] bytes) {
        if (!started) {
            digest.update(innerPad);
            started = true;
        }
        digest.update(bytes);
        return this;
    }

    /** @return the MAC of everything added since the last call (then starts a new message) */
    byte[] doFinal() {
        if (!started) {
            digest.update(innerPad);
        }
        byte[] inner = digest.digest();
        digest.update(outerPad);
        byte[] mac = digest.digest(inner);
        Arrays.fill(inner, (byte) 0);
        started = false;
        return mac;
    }
}
