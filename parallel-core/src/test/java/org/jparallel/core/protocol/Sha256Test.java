package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static String sha(String text) {
        return HexFormat.of().formatHex(new Sha256().digest(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fips180ExamplesGiveTheirDigests() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha("abc"));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", sha("a".repeat(1_000_000)));
    }

    @Test
    void sameBytesAsTheJdksDigestForEveryLengthAroundTheBlocksAndInRandomParts() throws Exception {
        Random random = new Random(7);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        Sha256 own = new Sha256(); // reused: each digest starts a new message
        for (int length = 0; length < 300; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            int offset = 0;
            while (offset < length) { // in parts of random sizes, crossing the 64-byte blocks anywhere
                int part = Math.min(length - offset, random.nextInt(70));
                own.update(message, offset, part);
                offset += part;
            }
            assertArrayEquals(jdk.digest(message), own.digest(), "length " + length);
        }
    }
}
