package org.jparallel.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With TLS on, a marker inside a task's argument and result never appears on the wire; with TLS
 * off it does (which proves the capture sees the traffic). The manager listens on 127.0.0.1; the
 * workers are told the manager is at 127.0.0.2 (same port), where a recording proxy forwards and
 * keeps every byte.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsCaptureTest {
    @TempDir
    Path tempDir;

    @Test
    void withTlsTheMarkerIsNotOnTheWire() throws Exception {
        String marker = "JPARALLEL-TLS-MARKER-7f3a9c";
        RecordingProxy proxy = run(true, marker);
        assertFalse(proxy.captured(marker.getBytes(StandardCharsets.UTF_8)),
                "the marker is readable on a TLS connection");
        assertFalse(proxy.captured("JPRL".getBytes(StandardCharsets.US_ASCII)), "the handshake's magic is readable");
        assertTrue(proxy.clientBytes().length > 1000 && proxy.serverBytes().length > 1000, "traffic was captured");
        assertEquals(0x16, proxy.clientBytes()[0], "the worker's first byte opens a TLS handshake record");
    }

    @Test
    void withoutTlsTheMarkerIsOnTheWireSoTheCaptureWorks() throws Exception {
        String marker = "JPARALLEL-PLAIN-MARKER-51be02";
        RecordingProxy proxy = run(false, marker);
        assertTrue(proxy.captured(marker.getBytes(StandardCharsets.UTF_8)), "the capture sees plain traffic");
    }

    private RecordingProxy run(boolean tls, String marker) throws Exception {
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .bindAddress("127.0.0.1").host("127.0.0.2").tls(tls).build()) {
            int port = manager.listenAddress().getPort();
            RecordingProxy proxy = new RecordingProxy(new InetSocketAddress(RecordingProxy.secondLoopback(), port),
                    new InetSocketAddress("127.0.0.1", port));
            try (proxy) {
                manager.addWorker(new LocalWorker(2));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() < 2) {
                    assertTrue(System.nanoTime() < deadline, "workers did not connect: " + manager.workers());
                    Thread.sleep(20);
                }
                Context<Void, String> ctx = manager.<String>getContext();
                for (int i = 0; i < 20; i++) {
                    String arg = marker + "#" + i;
                    ctx.addTask(s -> "echo:" + arg);
                }
                List<String> results = new ArrayList<>();
                ctx.getResultsUnordered().forEach(results::add);
                assertEquals(20, results.size());
                assertTrue(results.stream().allMatch(r -> r.startsWith("echo:" + marker)), results.toString());
                assertEquals(2, manager.stats().workersConnected(), "the workers came through the proxy");
            }
            return proxy;
        }
    }
}
