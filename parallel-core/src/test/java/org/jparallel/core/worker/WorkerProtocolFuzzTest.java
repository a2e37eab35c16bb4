package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Bomb;
import org.jparallel.core.protocol.FuzzFrames;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property test of the worker's decoder and handshake against a fake manager that (but for a few
 * genuine sessions) lacks the secret: random bytes, mutated CHALLENGE and WELCOME frames, WELCOME
 * without a challenge, and TASK and SETUP frames holding a {@link Bomb} before authentication. No
 * exception leaves the pipeline, the decoder holds at most one handshake frame, no Bomb is
 * deserialized, and the worker never counts itself authenticated by a peer without the secret.
 * It sends half of {@link FuzzFrames#FRAMES}; the manager's side sends the full count.
 */
@ExtendWith(NoLeaks.class)
class WorkerProtocolFuzzTest {
    private static final int WORKER_ID = 7;
    private static final int PRE_AUTH_BOUND = 4 + MessageDecoder.HANDSHAKE_MAX_FRAME;

    private final Secret secret = Secret.generate();
    private final WorkerOptions options = new WorkerOptions(List.of("m:1"), WORKER_ID, secret, Duration.ofSeconds(1));
    private long frames;

    /** One connection of the worker to a fake manager. */
    private final class Conn {
        final SessionOutcome outcome = new SessionOutcome();
        final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast("decoder", new MessageDecoder());
                c.pipeline().addLast("encoder", new MessageEncoder());
                c.pipeline().addLast("handshake", new WorkerHandshakeHandler(options, outcome));
            }
        });
        final MessageDecoder decoder = ch.pipeline().get(MessageDecoder.class);
        final Message.Hello hello;

        Conn() {
            EmbeddedChannel decoding = new EmbeddedChannel(new MessageDecoder());
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                decoding.writeInbound(b);
            }
            hello = decoding.readInbound();
            decoding.finishAndReleaseAll();
        }

        boolean send(byte[] frame, FuzzFrames f) {
            if (!ch.isOpen()) {
                return false;
            }
            frames++;
            for (byte[] chunk : f.chunks(frame)) {
                if (!ch.isOpen()) {
                    break;
                }
                ch.writeInbound(Unpooled.wrappedBuffer(chunk));
                ch.runPendingTasks();
                if (ch.isOpen() && decoder.inHandshake()) {
                    assertTrue(decoder.bufferedBytes() <= PRE_AUTH_BOUND, "buffered " + decoder.bufferedBytes());
                }
                assertEquals(0, Bomb.DETONATIONS.get(), "a payload was deserialized");
            }
            return ch.isOpen();
        }

        Message.Challenge challenge(Secret s) {
            byte[] nonce = Secret.nonce();
            return new Message.Challenge(nonce, s.managerMac(hello.nonce(), nonce, WORKER_ID));
        }

        void close() {
            ch.close();
            ch.runPendingTasks();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void randomAndMutatedFramesFromAPeerWithoutTheSecretNeverAuthenticateCrashOrDeserialize() {
        Bomb.DETONATIONS.set(0);
        FuzzFrames f = new FuzzFrames(new Random(FuzzFrames.SEED + 1));
        Random r = f.random();
        long target = Math.max(1, FuzzFrames.FRAMES / 2);
        long start = System.nanoTime();
        int cases = 0;
        int genuine = 0;
        while (frames < target) {
            int kind = r.nextInt(8);
            Conn c = new Conn();
            try {
                boolean mayAuthenticate = runCase(kind, c, f);
                if (!mayAuthenticate) {
                    assertFalse(c.outcome.isAuthenticated(), "authenticated by a peer without the secret");
                    assertTrue(c.decoder.inHandshake(), "limits lifted without the secret");
                } else if (c.outcome.isAuthenticated()) {
                    genuine++;
                }
            } catch (AssertionError | RuntimeException e) {
                fail("fuzz case " + cases + " (kind " + kind + ", seed " + (FuzzFrames.SEED + 1) + ") failed: " + e, e);
            } finally {
                c.close();
            }
            cases++;
        }
        System.out.printf("worker fuzz: %d frames in %d cases, %d genuine sessions, %d ms%n",
                frames, cases, genuine, (System.nanoTime() - start) / 1_000_000);
        assertEquals(0, Bomb.DETONATIONS.get());
        assertTrue(genuine > 0, "genuine sessions reached the session handler");
    }

    /** @return true when the case used the real secret, so authentication is allowed */
    private boolean runCase(int kind, Conn c, FuzzFrames f) {
        Random r = f.random();
        switch (kind) {
            case 0 -> c.send(f.randomBytes(1 + r.nextInt(3000)), f);
            case 1 -> { // a mutated challenge (genuine MAC or not), then anything mutated
                boolean genuine = r.nextBoolean();
                Message.Challenge ch = c.challenge(genuine ? secret : Secret.generate());
                if (c.send(f.mutate(FuzzFrames.encode(ch)), f)) {
                    c.send(f.mutate(FuzzFrames.encode(f.anyMessage())), f);
                }
                if (genuine) { // mutations may leave the challenge whole and make a WELCOME: this peer holds the secret
                    return true;
                }
            }
            case 2 -> { // WELCOME with no challenge, plain or mutated
                byte[] w = FuzzFrames.encode(f.welcome(""));
                c.send(r.nextBoolean() ? w : f.mutate(w), f);
            }
            case 3 -> { // a challenge made with another secret, then WELCOME and a payload
                c.send(FuzzFrames.encode(c.challenge(Secret.generate())), f);
                c.send(FuzzFrames.encode(f.welcome("")), f);
                c.send(FuzzFrames.encode(new Message.Task(1, 1, FuzzFrames.bomb())), f);
                assertFalse(c.ch.isOpen(), "a peer without the secret is dropped");
            }
            case 4 -> { // payloads with a Bomb before WELCOME, even after a genuine challenge
                if (r.nextBoolean()) {
                    c.send(FuzzFrames.encode(c.challenge(secret)), f);
                }
                Message m = r.nextBoolean() ? new Message.Task(1, 1, FuzzFrames.bomb())
                        : new Message.Setup(1, FuzzFrames.bomb());
                c.send(FuzzFrames.encode(m), f);
                assertFalse(c.ch.isOpen(), "a payload before WELCOME ends the connection");
            }
            case 5 -> {
                int[] lengths = {MessageDecoder.HANDSHAKE_MAX_FRAME + 1, 1 << 20, Integer.MAX_VALUE, -1, 0};
                c.send(Unpooled.buffer(5).writeInt(lengths[r.nextInt(lengths.length)]).writeByte(2).array(), f);
                assertFalse(c.ch.isOpen(), "a bad length before authentication ends the connection");
            }
            default -> { // a genuine manager, then session frames that carry no payload
                c.send(FuzzFrames.encode(c.challenge(secret)), f);
                Message.Welcome welcome = f.welcome("!*");
                c.send(FuzzFrames.encode(welcome), f);
                assertTrue(c.outcome.isAuthenticated(), "the genuine manager is accepted");
                assertEquals(welcome.resumable(), c.outcome.managerResumable());
                int n = 1 + r.nextInt(6);
                for (int i = 0; i < n && c.ch.isOpen(); i++) {
                    Message m = switch (r.nextInt(5)) {
                        case 0 -> new Message.Release(r.nextInt(4));
                        case 1 -> new Message.Cancel(r.nextInt(9), r.nextBoolean());
                        case 2 -> Message.Heartbeat.INSTANCE;
                        case 3 -> new Message.Reject("late");
                        default -> new Message.Proof(f.randomBytes(32));
                    };
                    c.send(FuzzFrames.encode(m), f);
                }
                return true;
            }
        }
        return false;
    }
}
