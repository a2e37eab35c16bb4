package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.junit.jupiter.api.Test;

/**
 * A fresh worker's start sets up no security provider when TLS is off: its warm-up, its nonce and its
 * proof's HMAC do without them (the provider framework's set-up is ~20 ms of CPU in a fresh JVM; see
 * docs/benchmarks/2026-12-06-cold2.md). Checked in a fresh JVM, since this one has them already.
 */
class WarmUpSecurityProvidersTest {
    /** Runs the worker's warm-up and a handshake's crypto, then prints "done". */
    public static void main(String[] args) throws Exception {
        WorkerWarmUp.runSteps();
        Secret s = Secret.fromText("c2VjcmV0IGZvciB0aGUgdGVzdCBvZiB0aGUgd2FybS11cA");
        byte[] mac = s.workerMac(Secret.nonce(), Secret.nonce(), 1);
        System.out.println(mac.length == 32 ? "done" : "wrong MAC length " + mac.length);
    }

    @Test
    void theWarmUpAndAHandshakesCryptoLoadNoSecurityProvider() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), WarmUpSecurityProvidersTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\ndone"), out);
        assertFalse(out.contains("sun.security.jca.ProviderList "), "the security providers were set up: "
                + out.lines().filter(l -> l.contains("sun.security")).limit(5).toList());
    }
}
