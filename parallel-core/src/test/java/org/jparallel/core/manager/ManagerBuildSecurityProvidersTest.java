package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh manager without TLS sets up no security provider: its run secret comes from the kernel's random
 * source, as the workers' nonces do (the provider framework's set-up is ~20 ms of CPU in a fresh JVM, on the
 * way to a program's first result; docs/benchmarks/2026-12-07-firstrun.md). Checked in a fresh JVM, since
 * this one has them already.
 */
class ManagerBuildSecurityProvidersTest {
    @TempDir
    Path dir;

    /** Builds and closes a manager, then prints "done". */
    public static void main(String[] args) {
        Manager m = Manager.builder().build();
        m.close();
        System.out.println("done");
    }

    @Test
    void aFreshManagerWithoutTlsLoadsNoSecurityProvider() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.out");
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), ManagerBuildSecurityProvidersTest.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // bounded even if the child hangs: its output goes to a file, read once it has ended
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertTrue(ended, "the child did not end in 60 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\ndone"), out);
        assertFalse(out.contains("sun.security.jca.ProviderList "), "the security providers were set up: "
                + out.lines().filter(l -> l.contains("sun.security.jca") || l.contains("SecureRandom")).limit(5).toList());
    }
}
