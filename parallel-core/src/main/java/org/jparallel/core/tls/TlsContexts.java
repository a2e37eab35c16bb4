package org.jparallel.core.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts of both ends: TLS 1.3 (falling back to 1.2) with the JDK's provider, so nothing
 * native is needed. The manager presents its certificate; the worker pins it.
 */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /**
     * @param key the manager's private key
     * @param cert its certificate
     * @return the manager's server context
     */
    public static SslContext server(PrivateKey key, X509Certificate cert) {
        try {
            return SslContextBuilder.forServer(key, cert).sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the manager's TLS: " + e.getMessage(), e);
        }
    }

    /**
     * @param fingerprint the pinned SHA-256 fingerprint of the manager's certificate
     * @return a worker's client context, which trusts that certificate and no other
     */
    public static SslContext client(String fingerprint) {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .trustManager(new PinnedTrustManager(fingerprint))
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the worker's TLS: " + e.getMessage(), e);
        }
    }
}
