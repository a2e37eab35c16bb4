package org.jparallel.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** The manager's self-signed certificate, written with the JDK alone, is one the JDK reads and verifies. */
class SelfSignedCertificateTest {
    private static KeyPair ecPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void theJdkReadsItsFieldsAndVerifiesItsSignature() throws Exception {
        KeyPair pair = ecPair();
        BigInteger serial = new BigInteger("170141183460469231731687303715884105727"); // 2^127 - 1
        Instant from = Instant.parse("2026-01-02T03:04:05Z");
        Instant to = Instant.parse("2036-01-02T03:04:05Z");
        X509Certificate c = SelfSignedCertificate.create(pair, "jparallel manager", serial, from, to);

        assertEquals(3, c.getVersion());
        assertEquals(serial, c.getSerialNumber());
        assertEquals(new X500Principal("CN=jparallel manager"), c.getSubjectX500Principal());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals(Date.from(from), c.getNotBefore());
        assertEquals(Date.from(to), c.getNotAfter());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertArrayEquals(pair.getPublic().getEncoded(), c.getPublicKey().getEncoded());
        c.verify(pair.getPublic()); // throws unless signed by the pair's private key
        c.checkValidity(Date.from(from.plusSeconds(60)));
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() throws Exception {
        X509Certificate c = SelfSignedCertificate.create(ecPair(), "x", BigInteger.ONE, Instant.now(),
                Instant.now().plusSeconds(60));
        assertThrows(SignatureException.class, () -> c.verify(ecPair().getPublic()));
    }

    @Test
    void datesFrom2050AreGeneralizedTimeAndReadBackExactly() throws Exception {
        Instant to = Instant.parse("2061-07-08T09:10:11Z");
        X509Certificate c = SelfSignedCertificate.create(ecPair(), "x", BigInteger.TEN,
                Instant.parse("2049-12-31T23:59:59Z"), to);
        assertEquals(Date.from(to), c.getNotAfter());
        assertEquals(Date.from(Instant.parse("2049-12-31T23:59:59Z")), c.getNotBefore());
    }

    @Test
    void aLongValueTakesTheLongLengthForm() {
        byte[] v = new byte[300];
        byte[] der = SelfSignedCertificate.tlv(0x04, v);
        assertArrayEquals(new byte[] {0x04, (byte) 0x82, 0x01, 0x2c}, java.util.Arrays.copyOf(der, 4));
        assertEquals(304, der.length);
    }
}
