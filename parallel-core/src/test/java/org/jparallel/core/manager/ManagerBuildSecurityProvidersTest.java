package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.Manager;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * A fresh manager without TLS sets up no security provider: its run secret comes from the kernel's random
 * source, as the workers' nonces do (the provider framework's set-up is ~20 ms of CPU in a fresh JVM, on the
 * way to a program's first result; docs/benchmarks/2026-12-07-firstrun.md). Checked in a fresh JVM, since
 * this one has them already.
 */
class ManagerBuildSecurityProvidersTest {
    /** Builds and closes a manager, then prints "done". */
    public static void main(String[] args) {
        Manager m = Manager.builder().build();
        m.close();
        System.out.println("done");
    }

    @Test
    void aFreshManagerWithoutTlsLoadsNoSecurityProvider() throws Exception {
        FreshJvm.Output out = FreshJvm.run(ManagerBuildSecurityProvidersTest.class);
        assertTrue(out.printed("done"), out.text());
        assertFalse(out.loaded("sun.security.jca.ProviderList"), "the security providers were set up: "
                + out.linesWith("sun.security.jca", "SecureRandom"));
    }
}
