package org.jparallel.core.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes the one kind of certificate the manager makes for itself: X.509 v3, self-signed with
 * ECDSA over SHA-256, one common name, no extensions. It needs nothing but the JDK, so no
 * certificate library's jars are on every worker's classpath, where a fresh worker would read their
 * indexes for the logging set-up's resource lookups although workers never use them. Workers do not
 * check this certificate's fields at all: they pin its fingerprint ({@link PinnedTrustManager}).
 */
final class SelfSignedCertificate {
    /** ecdsa-with-SHA256 (RFC 5758): its AlgorithmIdentifier has no parameters. */
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    /**
     * @param pair an EC key pair
     * @param commonName the subject's and issuer's common name
     * @param serial a positive serial number
     * @param notBefore the start of the validity
     * @param notAfter its end
     * @return the certificate, parsed back by the JDK
     * @throws GeneralSecurityException when the key cannot sign or the JDK refuses the result
     */
    static X509Certificate create(KeyPair pair, String commonName, BigInteger serial, Instant notBefore,
            Instant notAfter) throws GeneralSecurityException {
        byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
        byte[] name = sequence(set(sequence(oid(COMMON_NAME),
                tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] tbs = sequence(
                tlv(0xA0, integer(BigInteger.TWO)), // [0] EXPLICIT version: v3
                integer(serial),
                algorithm,
                name,
                sequence(time(notBefore), time(notAfter)),
                name,
                pair.getPublic().getEncoded()); // already a DER SubjectPublicKeyInfo
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] certificate = sequence(tbs, algorithm, bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    /** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
    private static byte[] time(Instant t) {
        boolean utc = t.atZone(ZoneOffset.UTC).getYear() < 2050;
        String text = (utc ? UTC_TIME : GENERALIZED_TIME).format(t);
        return tlv(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray()); // minimal two's complement: what DER asks
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long arc = Long.parseLong(parts[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1]; // first byte: no unused bits
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(0x03, content);
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A DER tag-length-value: short length form below 128, else the long form. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
