package org.jparallel.core.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import org.jparallel.ConfigurationException;

/**
 * The manager's TLS identity for one run: a private key and its certificate, and the
 * certificate's SHA-256 fingerprint that workers pin. By default a fresh EC P-256 key pair and a
 * self-signed certificate are made in memory, never written anywhere; or
 * they come from a keystore the user provides.
 *
 * @param key the private key
 * @param certificate the certificate workers will see
 * @param fingerprint the certificate's SHA-256 fingerprint, 64 hex digits
 */
public record ManagerIdentity(PrivateKey key, X509Certificate certificate, String fingerprint) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a fresh key pair and self-signed certificate */
    public static ManagerIdentity selfSigned() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = g.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate cert = SelfSignedCertificate.create(pair, "jparallel manager",
                    new BigInteger(128, RANDOM).setBit(127), now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(3650)));
            return new ManagerIdentity(pair.getPrivate(), cert, Fingerprint.of(cert));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the manager's TLS certificate: " + e, e);
        }
    }

    /**
     * @param file a PKCS12 or JKS keystore with one private key entry
     * @param passwordEnv the environment variable holding its password
     * @param env the environment
     * @return the key and certificate of its first private key entry
     * @throws ConfigurationException when the keystore cannot be read
     */
    public static ManagerIdentity fromKeystore(Path file, String passwordEnv, Map<String, String> env) {
        String where = "the TLS keystore " + file + " (jparallel.manager.tls.keystore)";
        String password = env.get(passwordEnv);
        if (password == null) {
            throw new ConfigurationException("Cannot open " + where + ": the environment variable " + passwordEnv
                    + " (jparallel.manager.tls.keystore-password-env) holding its password is not set.");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigurationException("Cannot open " + where + ": no such readable file.");
        }
        try {
            char[] pw = password.toCharArray();
            KeyStore ks = KeyStore.getInstance(file.toFile(), pw);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getKey(alias, pw) instanceof PrivateKey key) {
                    Certificate c = ks.getCertificate(alias);
                    if (c instanceof X509Certificate cert) {
                        return new ManagerIdentity(key, cert, Fingerprint.of(cert));
                    }
                }
            }
            throw new ConfigurationException("Cannot use " + where + ": it holds no private key with an X.509 certificate.");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("Cannot open " + where + ": " + e.getMessage()
                    + " (is the password in " + passwordEnv + " right?)");
        }
    }

    /** @return the manager's TLS server context for this identity */
    public SslContext serverContext() {
        return TlsContexts.server(key, certificate);
    }

    @Override
    public String toString() {
        return "ManagerIdentity[" + certificate.getSubjectX500Principal().getName() + ", SHA-256 " + fingerprint + "]";
    }
}
