package org.jparallel.core.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over {@link MessageDigest}, for the handshake's proofs. The JDK's
 * {@code javax.crypto.Mac} gives the same bytes, but its first use in a JVM initialises the JCE
 * (jurisdiction policy files, provider checks), on the path to a fresh worker's first result.
 * {@code MessageDigest} needs only the provider list,
 * which {@code SecureRandom} loads anyway. One instance holds one key and is not thread-safe.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;
    private final MessageDigest digest;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private boolean started;

    /** @param key the key, of any length (longer than the block size: hashed first, as the RFC says) */
    HmacSha256(byte[] key) {
        digest = sha256();
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
