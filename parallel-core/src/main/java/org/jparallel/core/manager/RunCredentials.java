package org.jparallel.core.manager;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import org.jparallel.ManagerSettings;
import org.jparallel.core.journal.RunSecret;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.tls.ManagerIdentity;
import org.jparallel.core.worker.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a manager's workers must know to trust it and be trusted: the run's secret (fresh, or kept beside the
 * journal so that a restarted manager gets its predecessor's workers back) and, with TLS, the manager's
 * certificate, whose fingerprint they pin.
 */
final class RunCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(RunCredentials.class);

    private final Secret secret;
    private final ManagerIdentity identity;
    private final boolean workersMayReturn;

    /** Makes or reads the secret (before the journal is opened) and loads or makes the TLS identity. */
    RunCredentials(ManagerSettings settings) {
        RunSecret kept = settings.journal() == null ? null : RunSecret.beside(settings.journal());
        this.secret = kept == null ? Secret.generate() : kept.secret();
        this.workersMayReturn = kept != null && kept.workersMayReturn();
        this.identity = settings.tls() ? identity(settings) : null;
        if (kept != null && !resumable(settings)) {
            LOG.warn("this manager keeps a journal but runs TLS with a self-signed certificate made for this run: "
                    + "if it dies, a restarted manager presents another certificate and the workers, which pin this "
                    + "one, refuse it and cannot return (they are told so, and do not wait for it). To keep workers across a restart, give a keystore "
                    + "(jparallel.manager.tls-keystore) and keep it with the journal and its secret file.");
        }
    }

    /**
     * @return whether a manager restarted on this one's journal may take its workers back, as WELCOME tells them:
     *     it keeps a journal and, with TLS, its certificate comes from a keystore (a self-signed one is made for each
     *     run, and the workers, which pin this one, would refuse the next)
     */
    static boolean resumable(ManagerSettings settings) {
        return settings.journal() != null && (!settings.tls() || !selfSigned(settings));
    }

    private static boolean selfSigned(ManagerSettings settings) {
        return settings.tlsKeystore() == null || settings.tlsKeystore().isBlank();
    }

    private static ManagerIdentity identity(ManagerSettings settings) {
        if (selfSigned(settings)) {
            return ManagerIdentity.selfSigned();
        }
        return ManagerIdentity.fromKeystore(Path.of(settings.tlsKeystore()), settings.tlsKeystorePasswordEnv(),
                System.getenv());
    }

    Secret secret() {
        return secret;
    }

    /** @return the TLS context of the server, or {@code null} without TLS */
    SslContext serverContext() {
        return identity == null ? null : identity.serverContext();
    }

    /** @return the certificate's SHA-256 fingerprint, or {@code null} without TLS */
    String fingerprint() {
        return identity == null ? null : identity.fingerprint();
    }

    /** @return whether the journal's previous run died with workers that may come back to this manager */
    boolean workersMayReturn() {
        return workersMayReturn;
    }

    /**
     * @return what a worker needs to trust and be trusted: the secret, and with TLS the pinned certificate
     *     fingerprint after a {@code ~} ({@link WorkerOptions} parses it). It travels the way the secret does,
     *     never on a command line.
     */
    String forWorkers() {
        return identity == null ? secret.text() : secret.text() + WorkerOptions.FINGERPRINT_SEPARATOR + identity.fingerprint();
    }
}
