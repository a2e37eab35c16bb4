package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.core.protocol.Secret;
import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.jparallel.testjvm.FreshJvm;
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
        FreshJvm.Output out = FreshJvm.run(WarmUpSecurityProvidersTest.class);
        assertTrue(out.printed("done"), out.text());
        assertFalse(out.loaded("sun.security.jca.ProviderList"), "the security providers were set up: "
                + out.linesWith("sun.security"));
    }
}
