package org.jparallel.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of a certificate's DER encoding, written as 64 lower-case hex digits.
 * Parsing also accepts upper case and colons, as {@code openssl x509 -fingerprint -sha256} prints.
 */
public final class Fingerprint {
    private static final HexFormat HEX = HexFormat.of();

    private Fingerprint() {
    }

    /**
     * @param cert a certificate
     * @return its SHA-256 fingerprint, 64 lower-case hex digits
     */
    public static String of(X509Certificate cert) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the SHA-256 fingerprint of a certificate: " + e, e);
        }
    }

    /**
     * @param text a fingerprint, hex, colons allowed
     * @return it normalized: 64 lower-case hex digits
     * @throws IllegalArgumentException when it is not a SHA-256 fingerprint
     */
    public static String parse(String text) {
        String t = text.trim().replace(":", "").toLowerCase(Locale.ROOT);
        if (t.length() != 64 || !t.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("the TLS fingerprint after '~' is not 64 hex digits (SHA-256)");
        }
        return t;
    }
}
