package org.jparallel.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Secret;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * While 1,000 tasks run on four genuine workers, a flood of bad clients connects again and again:
 * a wrong secret, a replay of a genuine worker's recorded handshake, random bytes, an oversized
 * frame, a slow client and silent ones. Each is rejected the way it should be (REJECT and close, or
 * close), every task completes, and only the four workers ever count as connected.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BadClientFloodTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final int TASKS = 1000;
    private static final int HELLO = 1;
    private static final int CHALLENGE = 2;
    private static final int PROOF = 3;
    private static final int REJECT = 5;

    @TempDir
    Path tempDir;

    private int port;
    private byte[] genuineHandshake;

    @Test
    void badClientsAreRejectedWhileAThousandTasksComplete() throws Exception {
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .bindAddress("127.0.0.1").host("127.0.0.2").handshakeTimeout(HANDSHAKE_TIMEOUT).build()) {
            port = manager.listenAddress().getPort();
            try (RecordingProxy proxy = new RecordingProxy(new InetSocketAddress(RecordingProxy.secondLoopback(), port),
                    new InetSocketAddress("127.0.0.1", port))) {
                manager.addWorker(new LocalWorker(4));
                awaitConnected(manager, 4);
                genuineHandshake = firstTwoFrames(proxy.clientBytes(0)); // HELLO and PROOF of a real worker

                Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
                AtomicBoolean done = new AtomicBoolean();
                ExecutorService flood = Executors.newFixedThreadPool(7);
                List<Future<?>> floods = new ArrayList<>();
                List<Attack> attacks = List.of(this::wrongSecret, this::replay, this::randomBytes, this::oversized,
                        this::slow, this::silent, this::wrongSecret);
                String[] names = {"wrong secret", "replayed handshake", "random bytes", "oversized frame",
                    "slow client", "silent client", "wrong secret"};
                for (int i = 0; i < attacks.size(); i++) {
                    Attack a = attacks.get(i);
                    String name = names[i];
                    int seed = i;
                    floods.add(flood.submit(() -> {
                        Random r = new Random(seed);
                        do {
                            a.run(r);
                            rejected.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                        } while (!done.get());
                        return null;
                    }));
                }

                Context<Void, Integer> ctx = manager.<Integer>getContext();
                for (int i = 0; i < TASKS; i++) {
                    int k = i;
                    ctx.addTask(s -> k * 2);
                }
                List<Integer> results = new ArrayList<>();
                ctx.getResultsUnordered().forEach(results::add);
                done.set(true);
                for (Future<?> f : floods) {
                    f.get(60, TimeUnit.SECONDS); // an attack that was not rejected as it should fails here
                }
                flood.shutdownNow();

                results.sort(null);
                assertEquals(IntStream.range(0, TASKS).map(i -> i * 2).boxed().collect(Collectors.toList()), results);
                assertEquals(4, manager.stats().workersConnected(), "only the genuine workers ever connected");
                for (String n : names) {
                    assertTrue(rejected.containsKey(n) && rejected.get(n).get() > 0, n + " was never tried: " + rejected);
                }
                System.out.println("bad clients rejected during the run: " + rejected);
            }
        }
    }

    /** One bad client: connects, misbehaves, and checks that the manager rejects it. */
    private interface Attack {
        void run(Random r) throws Exception;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis() * 5);
        return s;
    }

    private void wrongSecret(Random r) throws Exception {
        try (Socket s = connect()) {
            byte[] nonce = new byte[32];
            r.nextBytes(nonce);
            s.getOutputStream().write(hello(0, nonce));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] challenge = expectFrame(in, CHALLENGE, "wrong secret");
            byte[] managerNonce = Arrays.copyOfRange(challenge, 0, 32);
            byte[] mac = Secret.generate().workerMac(nonce, managerNonce, 0);
            s.getOutputStream().write(frame(PROOF, mac));
            String reason = new String(expectFrame(in, REJECT, "wrong secret"), StandardCharsets.UTF_8);
            assertTrue(reason.contains("authentication failed"), reason);
            expectClosed(in, "wrong secret");
        }
    }

    private void replay(Random r) throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(genuineHandshake);
            DataInputStream in = new DataInputStream(s.getInputStream());
            expectFrame(in, CHALLENGE, "replay");
            String reason = new String(expectFrame(in, REJECT, "replay"), StandardCharsets.UTF_8);
            assertTrue(reason.contains("authentication failed"), "a replayed proof: " + reason);
            expectClosed(in, "replay");
        }
    }

    private void randomBytes(Random r) throws Exception {
        try (Socket s = connect()) {
            byte[] junk = new byte[1 + r.nextInt(64 * 1024)];
            r.nextBytes(junk);
            try {
                s.getOutputStream().write(junk);
            } catch (SocketException dropped) {
                return; // the manager closed it mid-write
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            drainUntilClosed(in, "random bytes");
        }
    }

    private void oversized(Random r) throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(ByteBuffer.allocate(5).putInt(1 << 30).put((byte) HELLO).array());
            expectClosed(new DataInputStream(s.getInputStream()), "oversized frame");
        }
    }

    private void slow(Random r) throws Exception {
        try (Socket s = connect()) {
            byte[] nonce = new byte[32];
            r.nextBytes(nonce);
            byte[] hello = hello(0, nonce);
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            try {
                for (byte b : hello) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
                fail("a client sending a byte every 100 ms was not dropped within the " + HANDSHAKE_TIMEOUT
                        + " handshake timeout");
            } catch (SocketException dropped) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= HANDSHAKE_TIMEOUT.toMillis() - 200, "dropped too early, after " + ms + " ms");
            }
        }
    }

    private void silent(Random r) throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            expectClosed(new DataInputStream(s.getInputStream()), "silent client");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < HANDSHAKE_TIMEOUT.toMillis() * 3, "a silent client held its connection " + ms + " ms");
        }
    }

    private static byte[] hello(int workerId, byte[] nonce) {
        byte[] host = "attacker".getBytes(StandardCharsets.UTF_8);
        byte[] java = "17".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 4 + 8 + 2 + host.length + 2 + java.length + 32 + 8 + 4);
        b.putInt(0x4A50524C).putShort((short) org.jparallel.core.protocol.MessageEncoder.VERSION).putInt(workerId)
                .putLong(4242L).putShort((short) host.length).put(host).putShort((short) java.length).put(java).put(nonce)
                .putLong(-1L).putInt(1); // no set end of life, one task slot
        return frame(HELLO, b.array());
    }

    private static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(body.length + 1).put((byte) type).put(body).array();
    }

    private static byte[] expectFrame(DataInputStream in, int type, String who) throws IOException {
        int len = in.readInt();
        int t = in.readUnsignedByte();
        byte[] body = new byte[len - 1];
        in.readFully(body);
        assertEquals(type, t, who + ": expected frame type " + type);
        if (type == REJECT) {
            return Arrays.copyOfRange(body, 2, body.length);
        }
        return body;
    }

    private static void expectClosed(DataInputStream in, String who) throws IOException {
        try {
            int b = in.read();
            assertEquals(-1, b, who + ": the manager sent more instead of closing");
        } catch (SocketException reset) {
            // closed with a reset: dropped
        } catch (SocketTimeoutException e) {
            fail(who + ": the manager did not close the connection");
        }
    }

    private static void drainUntilClosed(DataInputStream in, String who) throws IOException {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // a REJECT may come first
            }
        } catch (SocketException reset) {
            // dropped
        } catch (SocketTimeoutException e) {
            fail(who + ": the manager did not close the connection");
        }
    }

    private static byte[] firstTwoFrames(byte[] stream) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(stream);
        int first = b.getInt(0);
        int second = b.getInt(4 + first);
        if (stream[4] != HELLO || stream[4 + first + 4] != PROOF) {
            throw new EOFException("the recorded handshake is not HELLO then PROOF");
        }
        return Arrays.copyOf(stream, 4 + first + 4 + second);
    }

    private static void awaitConnected(Manager manager, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() < n) {
            if (System.nanoTime() > deadline) {
                fail("workers did not connect: " + manager.workers());
            }
            Thread.sleep(20);
        }
    }
}
