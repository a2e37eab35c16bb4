package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP clients that are not workers (one silent, one sending garbage) are dropped by the manager,
 * and do not stop real workers from connecting and running a batch of tasks beside them. The handshake timeout
 * is {@value #HANDSHAKE_TIMEOUT_S} s rather than the default 10 s: the silent client is dropped by it, and the
 * test waited out the default (10 s of its 10 s) for nothing; a real worker's handshake takes milliseconds.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RogueClientTest {

    /** The manager's handshake timeout here: the silent client is dropped once it has passed. */
    private static final int HANDSHAKE_TIMEOUT_S = 4;
    /** Longer than any sensible handshake timeout; the silent client must be dropped before this. */
    private static final int SILENT_READ_TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @Test
    void silentAndGarbageClientsAreDroppedWhileHundredTasksComplete() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).handshakeTimeout(Duration.ofSeconds(HANDSHAKE_TIMEOUT_S))
                .build();
             Socket silent = new Socket();
             Socket garbage = new Socket()) {
            int port = manager.listenAddress().getPort();
            // both rogues connect before any worker exists, and stay around during the whole run
            silent.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            garbage.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            byte[] junk = new byte[64 * 1024];
            new Random(42).nextBytes(junk);
            try {
                OutputStream out = garbage.getOutputStream();
                out.write(junk);
                out.flush();
            } catch (IOException dropped) {
                // the manager may already have closed it: that is the point
            }

            manager.addWorker(new LocalWorker(2));
            // both real workers get through the handshake while the rogues hold their connections
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            for (int i = 0; i < 100; i++) {
                int k = i;
                ctx.addTask(s -> k);
            }
            List<Integer> results = new ArrayList<>();
            for (Integer r : ctx.getResultsUnordered()) {
                results.add(r);
            }
            results.sort(null);
            assertEquals(IntStream.range(0, 100).boxed().collect(Collectors.toList()), results);
            assertEquals(2, manager.stats().workersConnected(), "only the two real workers may count as connected");

            assertDropped("garbage client", garbage, 30_000);
            assertDropped("silent client", silent, SILENT_READ_TIMEOUT_MS);
        }
    }

    /** Reads until EOF or reset; fails if the manager neither closes the socket nor resets it in time. */
    private static void assertDropped(String who, Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        long got = 0;
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return; // EOF: the manager closed the connection
                }
                got += n; // e.g. a handshake challenge; keep reading until the manager gives up on us
                if (System.nanoTime() - deadline > 0) {
                    fail(who + " still open after " + timeoutMs + " ms (read " + got + " bytes)");
                }
            }
        } catch (SocketTimeoutException e) {
            fail(who + " was not dropped within " + timeoutMs + " ms (read " + got + " bytes)");
        } catch (SocketException e) {
            // connection reset by the manager: dropped
        }
    }
}
