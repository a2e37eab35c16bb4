package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker's connection: what a host name that does not resolve and a big heap buffer do to it. */
class WorkerChannelTest {

    @Test
    void aHostNameThatDoesNotResolveIsAnUnknownHostAndLeavesNothingOpen() throws Exception {
        WorkerChannel channel = new WorkerChannel();
        try {
            // an IOException, as Socket.connect gave: the handshake reports the address unreachable; an
            // UnresolvedAddressException (unchecked) skipped its close and killed a race's attempt thread
            assertThrows(UnknownHostException.class,
                    () -> channel.connect(InetSocketAddress.createUnresolved("no-such-host.invalid", 4711), 1000));
        } finally {
            channel.close();
        }
    }

    @Test
    void aBigHeapBufferGoesOutWholeInSlices() throws Exception {
        byte[] big = new byte[6 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 12));
        }
        byte[] head = {1, 2, 3};
        try (ServerSocket server = new ServerSocket(0)) {
            WorkerChannel channel = new WorkerChannel();
            try {
                channel.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 5000);
                try (Socket peer = server.accept()) {
                    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                        try {
                            byte[] all = new byte[head.length + big.length];
                            new DataInputStream(peer.getInputStream()).readFully(all);
                            return all;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    channel.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(big)}, 2);
                    byte[] all = read.get(30, TimeUnit.SECONDS);
                    assertArrayEquals(head, java.util.Arrays.copyOf(all, head.length));
                    assertArrayEquals(big, java.util.Arrays.copyOfRange(all, head.length, all.length));
                    assertTrue(WorkerChannel.HEAP_SLICE <= 256 * 1024, "a heap buffer's slices are at most 256 KB");
                }
            } finally {
                channel.close();
            }
        }
    }
}
