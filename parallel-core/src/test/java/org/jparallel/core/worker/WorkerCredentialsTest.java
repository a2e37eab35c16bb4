package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.tls.ManagerIdentity;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

/** The secret text with a pinned certificate fingerprint: {@code SECRET~FINGERPRINT}. */
class WorkerCredentialsTest {
    private static final String[] ARGS = {"--connect", "h:1"};

    @Test
    void aPlainSecretMeansNoTls() {
        Secret s = Secret.generate();
        WorkerOptions o = WorkerOptions.parse(ARGS, Map.of(LaunchSpec.SECRET_ENV, s.text()));
        assertFalse(o.tls());
        assertNull(o.tlsFingerprint());
        assertEquals(s.text(), o.secret().text());
    }

    @Test
    void aFingerprintAfterTheSecretTurnsTlsOnAndPinsIt() {
        Secret s = Secret.generate();
        String fp = ManagerIdentity.selfSigned().fingerprint();
        WorkerOptions o = WorkerOptions.parse(ARGS, Map.of(LaunchSpec.SECRET_ENV, s.text() + "~" + fp + "\n"));
        assertTrue(o.tls());
        assertEquals(fp, o.tlsFingerprint());
        assertEquals(s.text(), o.secret().text());
    }

    @Test
    void aBadFingerprintIsABadSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerOptions.parse(ARGS,
                Map.of(LaunchSpec.SECRET_ENV, Secret.generate().text() + "~abc")));
        assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
    }
}
