package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Bomb;
import org.jparallel.core.protocol.FuzzFrames;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link WorkerProtocolFuzzTest}'s cases for a peer without the secret, against the worker's blocking
 * transport ({@link BlockingSession}) over a real socket, in random chunks: the handshake never
 * authenticates, never deserializes a payload, and ends (without throwing) when the peer closes.
 */
@ExtendWith(NoLeaks.class)
class BlockingSessionFuzzTest {
    private static final int CASES = 300;
    private static final int WORKER_ID = 7;
    private static final long WAIT_SECONDS = 20;

    private final Secret secret = Secret.generate();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        workers.shutdownNow();
    }

    @Test
    void framesFromAPeerWithoutTheSecretNeverAuthenticateCrashOrDeserializeOverTheBlockingSocket() throws Exception {
        Bomb.DETONATIONS.set(0);
        FuzzFrames f = new FuzzFrames(new Random(FuzzFrames.SEED + 2));
        Random r = f.random();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            String address = "127.0.0.1:" + server.getLocalPort();
            WorkerOptions options = new WorkerOptions(List.of(address), WORKER_ID, secret, Duration.ofSeconds(1));
            for (int i = 0; i < CASES; i++) {
                int kind = r.nextInt(6);
                BlockingSession session = new BlockingSession(options, address, ProofGate.ALWAYS);
                Future<WorkerHandshake.Step> handshake = workers.submit(session::handshake);
                try (Socket peer = server.accept()) {
                    peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                    Message.Hello hello = assertInstanceOf(Message.Hello.class, firstMessage(peer.getInputStream()));
                    OutputStream out = peer.getOutputStream();
                    sending:
                    for (byte[] frame : frames(kind, hello, f, r)) {
                        for (byte[] chunk : f.chunks(frame)) {
                            try {
                                out.write(chunk);
                            } catch (IOException e) {
                                break sending; // the worker closed the connection
                            }
                        }
                    }
                    peer.shutdownOutput();
                    assertNull(handshake.get(WAIT_SECONDS, TimeUnit.SECONDS), "case " + i + " (kind " + kind + ") authenticated");
                } catch (AssertionError | Exception e) {
                    fail("fuzz case " + i + " (kind " + kind + ", seed " + (FuzzFrames.SEED + 2) + ") failed: " + e, e);
                }
                assertFalse(session.outcome.isAuthenticated(), "authenticated by a peer without the secret");
                assertEquals(0, Bomb.DETONATIONS.get(), "a payload was deserialized");
            }
        }
    }

    private List<byte[]> frames(int kind, Message.Hello hello, FuzzFrames f, Random r) {
        List<byte[]> frames = new ArrayList<>();
        byte[] nonce = Secret.nonce();
        Message.Challenge genuine = new Message.Challenge(nonce, secret.managerMac(hello.nonce(), nonce, WORKER_ID));
        Message.Challenge forged = new Message.Challenge(nonce, Secret.generate().managerMac(hello.nonce(), nonce, WORKER_ID));
        switch (kind) {
            case 0 -> frames.add(f.randomBytes(1 + r.nextInt(3000)));
            case 1 -> { // a mutated forged challenge, then anything mutated
                frames.add(f.mutate(FuzzFrames.encode(forged)));
                frames.add(f.mutate(FuzzFrames.encode(f.anyMessage())));
            }
            case 2 -> { // WELCOME with no challenge, plain or mutated
                byte[] w = FuzzFrames.encode(f.welcome(""));
                frames.add(r.nextBoolean() ? w : f.mutate(w));
            }
            case 3 -> { // a forged challenge, then WELCOME and a payload
                frames.add(FuzzFrames.encode(forged));
                frames.add(FuzzFrames.encode(f.welcome("")));
                frames.add(FuzzFrames.encode(new Message.Task(1, 1, FuzzFrames.bomb())));
            }
            case 4 -> { // payloads with a Bomb before WELCOME, even after a genuine challenge
                if (r.nextBoolean()) {
                    frames.add(FuzzFrames.encode(genuine));
                }
                frames.add(FuzzFrames.encode(r.nextBoolean() ? new Message.Task(1, 1, FuzzFrames.bomb())
                        : new Message.Setup(1, FuzzFrames.bomb())));
            }
            default -> {
                int[] lengths = {MessageDecoder.HANDSHAKE_MAX_FRAME + 1, 1 << 20, Integer.MAX_VALUE, -1, 0};
                frames.add(Unpooled.buffer(5).writeInt(lengths[r.nextInt(lengths.length)]).writeByte(2).array());
            }
        }
        return frames;
    }

    private static Message firstMessage(InputStream in) throws IOException {
        MessageDecoder decoder = new MessageDecoder();
        ByteBuf buf = Unpooled.buffer();
        List<Object> out = new ArrayList<>();
        while (out.isEmpty()) {
            byte[] chunk = new byte[512];
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("the worker closed before its HELLO");
            }
            buf.writeBytes(chunk, 0, n);
            decoder.decodeFrames(buf, out);
        }
        return (Message) out.get(0);
    }
}
