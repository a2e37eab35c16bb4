package org.jparallel.core.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A worker's trust in its manager: exactly one certificate, the one whose SHA-256 fingerprint came
 * with the run's secret. No CA, no host name check (the pin is stronger than both); any other
 * certificate ends the TLS handshake with an error that says what was expected and what came.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final String pinned;

    /** @param fingerprint the manager certificate's SHA-256 fingerprint, as {@link Fingerprint#parse} gives it */
    public PinnedTrustManager(String fingerprint) {
        this.pinned = Fingerprint.parse(fingerprint);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the manager presented no TLS certificate");
        }
        String got = Fingerprint.of(chain[0]);
        if (!MessageDigest.isEqual(got.getBytes(StandardCharsets.US_ASCII), pinned.getBytes(StandardCharsets.US_ASCII))) {
            throw new PinMismatchException(pinned, got, chain[0].getSubjectX500Principal().getName());
        }
        // no validity check: the pin, not the dates, is the trust (a run may outlive a user's certificate)
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a worker does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
