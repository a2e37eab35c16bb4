package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Large task and result payloads travel intact both ways. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PayloadTest {

    @TempDir
    Path tempDir;

    @Test
    void payloadOf100KilobytesRoundTripsIntact() throws Exception {
        roundTrip(100 * 1024, 1);
    }

    @Test
    void payloadOf16MegabytesRoundTripsIntact() throws Exception {
        roundTrip(16 * 1024 * 1024, 2);
    }

    /** The size issue 18 found losing its worker on Java 25, where Netty can free only the direct buffers it made. */
    @Test
    void payloadOf64MegabytesRoundTripsIntact() throws Exception {
        roundTrip(64 * 1024 * 1024, 3);
    }

    private void roundTrip(int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        byte[] hash = WorkerSide.sha256(data);
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, byte[]> ctx = manager.<byte[]>getContext();
            // the worker checks what it received, then echoes it back
            TaskFuture<byte[]> hashOnWorker = ctx.addTask(s -> WorkerSide.sha256(data));
            TaskFuture<byte[]> echo = ctx.addTask(s -> data);
            int n = 0;
            for (byte[] r : ctx.getResultsUnordered()) {
                assertTrue(r.length == 32 || r.length == size, "result of " + r.length + " bytes");
                n++;
            }
            assertEquals(2, n);
            assertArrayEquals(hash, hashOnWorker.get(5, TimeUnit.SECONDS), "the worker received other bytes");
            byte[] back = echo.get(5, TimeUnit.SECONDS);
            assertEquals(size, back.length);
            assertTrue(Arrays.equals(data, back), "the echoed payload differs");
        }
    }
}
