package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretNonceTest {
    @TempDir
    Path dir;

    @Test
    void noncesHaveTheProtocolsLengthAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] n = Secret.nonce();
            assertEquals(MessageDecoder.NONCE_BYTES, n.length);
            assertTrue(seen.add(Arrays.toString(n)), "a nonce came twice");
        }
    }

    @Test
    void secretsAre256RandomBitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Secret s = Secret.generate();
            assertEquals(43, s.text().length(), "32 bytes as unpadded base64url");
            assertTrue(seen.add(s.text()), "a secret came twice");
            assertEquals(s.text(), Secret.fromText(s.text()).text());
        }
    }

    @Test
    void anUnreadableRandomSourceFallsBackToSecureRandom() {
        byte[] into = new byte[32];
        Secret.randomBytes(dir.resolve("none").toString(), into);
        assertFalse(Arrays.equals(new byte[32], into), "the bytes were left zero");
        byte[] from = new byte[32];
        Secret.randomBytes(dir.resolve("none").toString(), from);
        assertFalse(Arrays.equals(into, from), "the fallback repeated itself");
    }

    @Test
    void aMissingOrShortRandomSourceIsReportedSoThatSecureRandomIsUsedInstead() throws Exception {
        assertFalse(Secret.readFully(dir.resolve("none").toString(), new byte[16]));
        Path shortFile = Files.write(dir.resolve("short"), new byte[5]);
        assertFalse(Secret.readFully(shortFile.toString(), new byte[16]));
        Path full = Files.write(dir.resolve("full"), new byte[] {1, 2, 3, 4});
        byte[] into = new byte[4];
        assertTrue(Secret.readFully(full.toString(), into));
        assertEquals("[1, 2, 3, 4]", Arrays.toString(into));
    }

    @Test
    void aRegularFileIsRefusedAsTheKernelsSource() throws Exception {
        // on Windows "/dev/urandom" names dev/urandom on the current drive, a file any user may plant
        byte[] known = new byte[32];
        Arrays.fill(known, (byte) 7);
        Path planted = Files.write(dir.resolve("urandom"), known);
        byte[] into = new byte[32];
        Secret.randomBytes(planted.toString(), into);
        assertFalse(Arrays.equals(known, into), "the bytes came from a regular file");
        assertFalse(Secret.isKernelSource(planted.toString()));
        if (java.io.File.separatorChar == '/' && Files.exists(Path.of(Secret.KERNEL_RANDOM))) {
            assertTrue(Secret.isKernelSource(Secret.KERNEL_RANDOM), "the character device is the kernel's source");
        }
    }

    @Test
    void aPartialReadOfAShortSourceIsFullyOverwrittenByTheFallback() throws Exception {
        byte[] known = {11, 22, 33, 44, 55, 66, 77, 88};
        Path shortFile = Files.write(dir.resolve("short-known"), known);
        byte[] into = new byte[32];
        Secret.randomBytes(shortFile.toString(), into);
        assertFalse(Arrays.equals(known, Arrays.copyOf(into, known.length)), "the short source's bytes were kept");
        assertFalse(Arrays.equals(new byte[32], into), "the bytes were left zero");
    }
}
