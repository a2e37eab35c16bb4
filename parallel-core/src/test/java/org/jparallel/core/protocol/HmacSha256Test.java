package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static String mac(byte[] key, byte[] data) {
        return HexFormat.of().formatHex(new HmacSha256(key).update(data).doFinal());
    }

    @Test
    void rfc4231Case1ShortKey() {
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                mac(hex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rfc4231Case2KeyShorterThanOutput() {
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                mac("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rfc4231Case6KeyLongerThanBlockIsHashedFirst() {
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                mac(hex("aa".repeat(131)),
                        "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sameBytesAsTheJdksMacForRandomKeysAndMessagesInParts() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[random.nextInt(100)];
            byte[] a = new byte[random.nextInt(300)];
            byte[] b = new byte[random.nextInt(10)];
            random.nextBytes(key);
            random.nextBytes(a);
            random.nextBytes(b);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            byte[] k = key.length == 0 ? new byte[1] : key;
            jdk.update(a);
            jdk.update(b);
            HmacSha256 ours = new HmacSha256(k);
            assertArrayEquals(jdk.doFinal(), ours.update(a).update(b).doFinal(), "case " + i);
            jdk.update(b);
            assertArrayEquals(jdk.doFinal(), ours.update(b).doFinal(), "second message with the same instance, case " + i);
        }
    }

    @Test
    void emptyMessage() throws Exception {
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(new byte[] {1, 2, 3}, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(), new HmacSha256(new byte[] {1, 2, 3}).doFinal());
    }
}
