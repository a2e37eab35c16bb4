package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jparallel.core.worker.startup.HostName;
import org.jparallel.core.worker.startup.NettyDefaults;
import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of a worker's quick start that run without a manager: host name, Netty defaults, warm-up. */
class WorkerStartupTest {
    @TempDir
    Path tmp;

    @Test
    void hostNameComesFromTheKernelFileWithoutALookup() throws Exception {
        Path f = tmp.resolve("hostname");
        Files.writeString(f, "node7.example\n");
        assertEquals("node7.example", HostName.lookUp(f));
    }

    @Test
    void hostNameFallsBackToTheNameServiceWithoutTheKernelFile() throws Exception {
        String expected;
        try {
            expected = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            expected = "unknown";
        }
        assertEquals(expected, HostName.lookUp(tmp.resolve("absent")));
        assertEquals(expected, HostName.lookUp(Files.writeString(tmp.resolve("empty"), " \n")));
    }

    @Test
    void hostNameIsTheOneTheNameServiceWouldGive() throws Exception {
        // getLocalHost() returns the kernel's name after resolving it; HostName skips only the resolving
        String viaLookup;
        try {
            viaLookup = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            viaLookup = e.getMessage().split(":")[0].trim();
        }
        assertEquals(viaLookup, HostName.get());
        assertFalse(HostName.get().isBlank());
    }

    @Test
    void nettyJfrEventsAreOffUnlessTheCommandLineSaysOtherwise() {
        assertDefaultUnlessSet(NettyDefaults.JFR_ENABLED, "false", "true");
    }

    @Test
    void nettyLeakDetectionIsOffUnlessTheCommandLineSaysOtherwise() {
        assertDefaultUnlessSet(NettyDefaults.LEAK_DETECTION, "disabled", "paranoid");
    }

    private static void assertDefaultUnlessSet(String key, String byDefault, String givenByUser) {
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            NettyDefaults.apply();
            assertEquals(byDefault, System.getProperty(key));

            System.setProperty(key, givenByUser);
            NettyDefaults.apply();
            assertEquals(givenByUser, System.getProperty(key), "a value given by the user stays");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void warmUpStepsSucceedAndTheThreadEnds() throws Exception {
        WorkerWarmUp.runSteps(); // throws when a step fails (a lambda the serial filter refuses, no HMAC...)
        Thread t = WorkerWarmUp.start();
        assertTrue(t.isDaemon(), "the warm-up never keeps a worker JVM alive");
        t.join(60_000);
        assertFalse(t.isAlive());
    }
}
