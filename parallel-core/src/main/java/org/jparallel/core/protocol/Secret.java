package org.jparallel.core.protocol;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-run shared secret, and the mutual HMAC-SHA256 challenge built on it: each side proves it
 * holds the secret by a MAC over both sides' fresh nonces and the worker id, so neither a peer
 * without the secret nor a replay of an earlier handshake gets in.
 */
public final class Secret {
    private static final byte[] MANAGER_LABEL = "jparallel-manager-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WORKER_LABEL = "jparallel-worker-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * The kernel's random source on Linux and most Unixes (a character device). Only read where paths are Unix
     * paths: on Windows this names {@code C:/dev/urandom} (the current drive's), a file any user may create.
     */
    static final String KERNEL_RANDOM = "/dev/urandom";

    private final byte[] key;
    private final String text;

    private Secret(byte[] bytes) {
        this.key = bytes;
        this.text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A fresh random 256-bit secret, from the same source as {@link #nonce()}: the kernel's CSPRNG where it
     * can be read (Linux and Unix only, where {@code /dev/urandom} is a device), else {@code SecureRandom}. On Linux {@code new SecureRandom()} is the {@code NativePRNG},
     * whose bytes are {@code /dev/urandom}'s (XORed with a SHA1PRNG seeded from {@code /dev/urandom} too), so
     * reading the kernel's source directly gives a secret as unpredictable, without the ~20 ms a fresh
     * manager spent setting up the security providers on the way to its first worker.
     *
     * @return the secret
     */
    public static Secret generate() {
        byte[] b = new byte[32];
        randomBytes(KERNEL_RANDOM, b);
        return new Secret(b);
    }

    /**
     * @param text the secret as written by {@link #text()}
     * @return the secret
     * @throws IllegalArgumentException when the text is not a secret
     */
    public static Secret fromText(String text) {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the jparallel secret is not valid base64url text");
        }
        if (b.length < 16) {
            throw new IllegalArgumentException("the jparallel secret is too short (" + b.length + " bytes)");
        }
        return new Secret(b);
    }

    /** @return the secret as base64url text, for the environment or a 0600 file */
    public String text() {
        return text;
    }

    /**
     * A fresh random nonce for one handshake: from the kernel's random source ({@code /dev/urandom}, which
     * {@code SecureRandom}'s default on Linux reads too) on Linux and Unix where it is a device, else from
     * {@code SecureRandom}.
     * The kernel's source is read directly because {@code SecureRandom} first sets up the security
     * provider framework, about 20 ms of CPU on the way to a fresh worker's first result where nothing
     * else needs it (see {@link Sha256}).
     *
     * @return the nonce
     */
    public static byte[] nonce() {
        byte[] b = new byte[MessageDecoder.NONCE_BYTES];
        randomBytes(KERNEL_RANDOM, b);
        return b;
    }

    /**
     * @param source the kernel's random source
     * @param into filled from {@code source} where it {@linkplain #isKernelSource is the kernel's} and can be
     *     read in full, else (all of it, whatever a short read left) from {@code SecureRandom}
     */
    static void randomBytes(String source, byte[] into) {
        if (!isKernelSource(source) || !readFully(source, into)) {
            Random.SOURCE.nextBytes(into);
        }
    }

    /**
     * @param source a path to a random source
     * @return whether it may be the kernel's: paths are Unix paths here ({@code File.separatorChar == '/'}),
     *     and it is not a regular file (following links; {@code /dev/urandom} is a character device), so a
     *     planted file of known bytes is never read as randomness
     */
    static boolean isKernelSource(String source) {
        if (File.separatorChar != '/') {
            return false;
        }
        try {
            return !Files.isRegularFile(Path.of(source));
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }

    /**
     * @param file a source of random bytes
     * @param into filled from {@code file}
     * @return whether {@code into} was filled; false when the file is missing, unreadable or too short
     */
    static boolean readFully(String file, byte[] into) {
        try (FileInputStream in = new FileInputStream(file)) {
            return in.readNBytes(into, 0, into.length) == into.length;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** @return the manager's MAC for a handshake */
    public byte[] managerMac(byte[] workerNonce, byte[] managerNonce, int workerId) {
        return mac(MANAGER_LABEL, workerNonce, managerNonce, workerId);
    }

    /** @return the worker's MAC for a handshake */
    public byte[] workerMac(byte[] workerNonce, byte[] managerNonce, int workerId) {
        return mac(WORKER_LABEL, workerNonce, managerNonce, workerId);
    }

    /** @return true when both MACs are equal, compared in constant time */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] mac(byte[] label, byte[] workerNonce, byte[] managerNonce, int workerId) {
        return new HmacSha256(key).update(label).update(workerNonce).update(managerNonce)
                .update(ByteBuffer.allocate(4).putInt(workerId).array()).doFinal();
    }

    @Override
    public String toString() {
        return "Secret[hidden]";
    }

    /**
     * The random source where the kernel's cannot be read, made on first use rather than when this class
     * loads: a fresh JVM spends a while setting up its security providers for it.
     */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }
}
