package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Bomb;
import org.jparallel.core.protocol.FuzzFrames;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property test of the manager's decoder and handshake, on EmbeddedChannels with the pipeline
 * ManagerServer builds: random bytes, mutated handshake frames, wrong secrets, payload frames before
 * authentication (holding a {@link Bomb}) and, after a genuine handshake, random session frames. For
 * every one: no exception leaves the pipeline, the decoder never holds more than one handshake frame
 * before authentication, no Bomb is ever deserialized, nobody is admitted without the secret, and
 * every closed connection gives back its handshake slot. Seed and count: {@link FuzzFrames}.
 */
@ExtendWith(NoLeaks.class)
class ManagerProtocolFuzzTest {
    private static final int PRE_AUTH_BOUND = 4 + MessageDecoder.HANDSHAKE_MAX_FRAME;

    private final Secret secret = Secret.generate();
    private final ManagerSettings settings = ManagerSettings.defaults();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger nextId = new AtomicInteger(1000);
    private DispatcherFakes.Listener listener;
    private Dispatcher dispatcher;
    private long frames;
    private int admitted;

    /** One connection to the manager, fed by the fuzzer. */
    private final class Conn {
        final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast("decoder", new MessageDecoder());
                c.pipeline().addLast("encoder", new MessageEncoder());
                c.pipeline().addLast("handshake", new ManagerHandshakeHandler(secret, settings, dispatcher, pending));
            }
        });
        final MessageDecoder decoder = ch.pipeline().get(MessageDecoder.class);
        final MessageDecoder peerDecoder = new MessageDecoder();
        final EmbeddedChannel peer = new EmbeddedChannel(peerDecoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Message.Welcome w) {
                    peerDecoder.authenticated(w.maxFrameBytes());
                }
                ctx.fireChannelRead(msg);
            }
        });

        /** Sends one frame in random chunks; @return false when the manager has closed the connection. */
        boolean send(byte[] frame, FuzzFrames f) {
            if (!ch.isOpen()) {
                return false;
            }
            frames++;
            for (byte[] chunk : f.chunks(frame)) {
                if (!ch.isOpen()) {
                    break;
                }
                ch.writeInbound(Unpooled.wrappedBuffer(chunk)); // rethrows anything that left the pipeline
                ch.runPendingTasks();
                check();
            }
            return ch.isOpen();
        }

        void check() {
            if (ch.isOpen() && decoder.inHandshake()) {
                assertTrue(decoder.bufferedBytes() <= PRE_AUTH_BOUND,
                        "before authentication the decoder holds " + decoder.bufferedBytes() + " bytes");
            }
            assertEquals(0, Bomb.DETONATIONS.get(), "a payload was deserialized");
            Object in = ch.readInbound();
            assertTrue(in == null, "a message passed the manager's handlers: " + in);
        }

        List<Message> received() {
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                if (peer.isOpen()) {
                    peer.writeInbound(b);
                } else {
                    b.release();
                }
            }
            List<Message> out = new ArrayList<>();
            Message m;
            while ((m = peer.readInbound()) != null) {
                out.add(m);
            }
            return out;
        }

        Message.Challenge challenge() {
            for (Message m : received()) {
                if (m instanceof Message.Challenge c) {
                    return c;
                }
            }
            return null;
        }

        void close() {
            ch.close();
            ch.runPendingTasks();
            ch.finishAndReleaseAll();
            peer.finishAndReleaseAll();
            assertEquals(0, pending.get(), "a closed connection still counts as in handshake");
        }
    }

    private void newDispatcher() {
        listener = new DispatcherFakes.Listener();
        dispatcher = new Dispatcher(settings, listener, nextId::getAndIncrement);
    }

    @Test
    void theBombDetectorWorks() throws Exception {
        int before = Bomb.DETONATIONS.get();
        Payloads.deserialize(FuzzFrames.bomb(), getClass().getClassLoader());
        assertEquals(before + 1, Bomb.DETONATIONS.get(), "deserializing a Bomb is seen");
        Bomb.DETONATIONS.set(before);
    }

    @Test
    void randomAndMutatedFramesNeverCrashBufferTooMuchDeserializeOrAdmitWithoutTheSecret() {
        Bomb.DETONATIONS.set(0);
        FuzzFrames f = new FuzzFrames(new Random(FuzzFrames.SEED));
        Random r = f.random();
        long start = System.nanoTime();
        int cases = 0;
        newDispatcher();
        while (frames < FuzzFrames.FRAMES) {
            if (cases % 2000 == 0) {
                admitted += listener.connected.size();
                newDispatcher(); // keep the dispatcher's worker table small
            }
            int kind = r.nextInt(8);
            Conn c = new Conn();
            int connectedBefore = listener.connected.size();
            try {
                runCase(kind, c, f);
                c.check();
                assertEquals(connectedBefore + (kind >= 6 ? 1 : 0), listener.connected.size(),
                        "only a peer with the secret is admitted");
            } catch (AssertionError | RuntimeException e) {
                fail("fuzz case " + cases + " (kind " + kind + ", seed " + FuzzFrames.SEED + ") failed: " + e, e);
            } finally {
                c.close();
            }
            cases++;
        }
        admitted += listener.connected.size();
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("manager fuzz: %d frames in %d cases, %d genuine sessions, %d ms, seed %d%n",
                frames, cases, admitted, ms, FuzzFrames.SEED);
        assertEquals(0, Bomb.DETONATIONS.get());
        assertTrue(admitted > 0, "the genuine sessions were admitted (the fuzzer reached the session handler)");
    }

    private void runCase(int kind, Conn c, FuzzFrames f) {
        Random r = f.random();
        switch (kind) {
            case 0 -> c.send(f.randomBytes(1 + r.nextInt(3000)), f); // random bytes
            case 1 -> { // a mutated HELLO, maybe followed by more mutated frames
                byte[] hello = FuzzFrames.encode(hello(r));
                if (c.send(f.mutate(hello), f)) {
                    c.send(f.mutate(FuzzFrames.encode(f.anyMessage())), f);
                }
            }
            case 2 -> { // a valid HELLO, then a mutated PROOF or anything
                c.send(FuzzFrames.encode(hello(r)), f);
                c.send(f.mutate(FuzzFrames.encode(new Message.Proof(f.randomBytes(32)))), f);
            }
            case 3 -> { // a valid HELLO and a PROOF made with another secret, then a payload
                Message.Hello h = hello(r);
                c.send(FuzzFrames.encode(h), f);
                Message.Challenge ch = c.challenge();
                if (ch != null) {
                    c.send(FuzzFrames.encode(new Message.Proof(Secret.generate().workerMac(h.nonce(), ch.nonce(),
                            h.workerId()))), f);
                }
                c.send(FuzzFrames.encode(new Message.Task(1, 1, FuzzFrames.bomb())), f);
                assertFalse(c.ch.isOpen(), "a wrong secret ends the connection");
            }
            case 4 -> { // payload frames (holding a Bomb) before or during the handshake
                if (r.nextBoolean()) {
                    c.send(FuzzFrames.encode(hello(r)), f);
                }
                Message m = switch (r.nextInt(4)) {
                    case 0 -> new Message.Task(r.nextInt(9), 1, FuzzFrames.bomb());
                    case 1 -> new Message.Setup(1, FuzzFrames.bomb());
                    case 2 -> new Message.Result(r.nextInt(9), FuzzFrames.bomb());
                    default -> new Message.Failure(r.nextInt(9), FuzzFrames.bomb());
                };
                c.send(FuzzFrames.encode(m), f);
                assertFalse(c.ch.isOpen(), "a payload before authentication ends the connection");
            }
            case 5 -> { // an oversized or negative length before authentication
                int[] lengths = {MessageDecoder.HANDSHAKE_MAX_FRAME + 1, 1 << 20, Integer.MAX_VALUE, -1, 0};
                byte[] header = Unpooled.buffer(5).writeInt(lengths[r.nextInt(lengths.length)]).writeByte(1).array();
                c.send(header, f);
                assertFalse(c.ch.isOpen(), "a bad length before authentication ends the connection");
            }
            default -> { // a genuine handshake (a worker started by hand), then random session frames
                Message.Hello h = new Message.Hello(MessageEncoder.VERSION, 0, 1L, "fuzz", "17", Secret.nonce());
                c.send(FuzzFrames.encode(h), f);
                Message.Challenge ch = c.challenge();
                c.send(FuzzFrames.encode(new Message.Proof(secret.workerMac(h.nonce(), ch.nonce(), 0))), f);
                assertFalse(c.decoder.inHandshake(), "the genuine worker was admitted");
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n && c.ch.isOpen(); i++) {
                    byte[] frame = FuzzFrames.encode(f.anyMessage());
                    c.send(r.nextInt(3) == 0 ? f.mutate(frame) : frame, f);
                }
            }
        }
    }

    private static Message.Hello hello(Random r) {
        return new Message.Hello(MessageEncoder.VERSION, r.nextInt(3), r.nextLong(), "fuzz", "17", Secret.nonce());
    }
}
