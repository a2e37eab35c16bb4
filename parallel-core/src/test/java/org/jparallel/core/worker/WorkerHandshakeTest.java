package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.EmbeddedWire;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The worker's side of the handshake, on an EmbeddedChannel with WorkerClient's pipeline; the manager played by hand. */
@ExtendWith(NoLeaks.class)
class WorkerHandshakeTest {
    private static final int WORKER_ID = 3;
    private final Secret secret = Secret.generate();
    private final SessionOutcome outcome = new SessionOutcome();
    private final EmbeddedChannel encoder = new EmbeddedChannel(new MessageEncoder());
    private final EmbeddedChannel decoding = new EmbeddedChannel(new MessageDecoder());
    private EmbeddedChannel worker;
    private Message.Hello hello;

    @BeforeEach
    void connect() {
        WorkerOptions options = new WorkerOptions(List.of("manager:4000"), WORKER_ID, secret, Duration.ofSeconds(5));
        worker = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("decoder", new MessageDecoder());
                ch.pipeline().addLast("encoder", new MessageEncoder());
                ch.pipeline().addLast("handshake", new WorkerHandshakeHandler(options, outcome));
            }
        });
        hello = assertInstanceOf(Message.Hello.class, receivedOne());
    }

    @AfterEach
    void close() {
        worker.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        decoding.finishAndReleaseAll();
    }

    private void send(Message m) {
        EmbeddedWire.send(encoder, m, worker);
    }

    private List<Message> received() {
        return EmbeddedWire.received(worker, decoding);
    }

    private Message receivedOne() {
        List<Message> got = received();
        assertEquals(1, got.size(), got.toString());
        return got.get(0);
    }

    private Message.Challenge challenge(Secret s) {
        byte[] nonce = Secret.nonce();
        return new Message.Challenge(nonce, s.managerMac(hello.nonce(), nonce, WORKER_ID));
    }

    private static Message.Welcome welcome() {
        return new Message.Welcome(2000, 60000, 1 << 20);
    }

    @Test
    void theWorkerOpensWithAHelloCarryingItsIdVersionAndAFreshNonce() {
        assertEquals(MessageEncoder.VERSION, hello.version());
        assertEquals(WORKER_ID, hello.workerId());
        assertEquals(ProcessHandle.current().pid(), hello.pid());
        assertEquals(MessageDecoder.NONCE_BYTES, hello.nonce().length);
    }

    @Test
    void aChallengeWithTheRightMacGetsAProofAndTheWelcomeStartsTheSession() {
        Message.Challenge c = challenge(secret);
        send(c);
        Message.Proof p = assertInstanceOf(Message.Proof.class, receivedOne());
        assertTrue(Secret.matches(secret.workerMac(hello.nonce(), c.nonce(), WORKER_ID), p.mac()));
        assertFalse(outcome.isAuthenticated());

        send(welcome());
        assertTrue(outcome.isAuthenticated());
        assertTrue(worker.isOpen());
        assertNull(worker.pipeline().get("handshake"));
        assertNotNull(worker.pipeline().get("session"));
        assertNotNull(worker.pipeline().get("idle"));

        send(Message.Shutdown.INSTANCE);
        assertFalse(worker.isOpen());
        assertTrue(outcome.endReason().contains("shut down"), outcome.endReason());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theOutcomeSaysWhetherTheManagerCanBeResumedAsTheWelcomeSaid(boolean resumable) {
        // the returning worker of a manager without a journal exits once nobody listens at its port
        send(challenge(secret));
        assertInstanceOf(Message.Proof.class, receivedOne());
        send(new Message.Welcome(2000, 60000, 1 << 20, "", resumable));
        assertTrue(outcome.isAuthenticated());
        assertEquals(resumable, outcome.managerResumable());
    }

    @Test
    void aChallengeWithAWrongMacIsRefusedWithoutAProof() {
        send(challenge(Secret.generate()));
        assertTrue(received().isEmpty(), "the worker proves nothing to a peer without the secret");
        assertFalse(worker.isOpen());
        assertFalse(outcome.isAuthenticated());
        assertTrue(outcome.rejection().contains("did not prove it holds this run's secret"), outcome.rejection());
    }

    @Test
    void aWelcomeBeforeAVerifiedChallengeIsRefused() {
        // A peer without the secret skips the challenge and says WELCOME: the worker must not take work from it.
        send(welcome());
        assertFalse(outcome.isAuthenticated(), "authenticated a peer that never proved it holds the secret");
        assertFalse(worker.isOpen());
        assertNotNull(outcome.rejection());
        assertNull(worker.pipeline().get("session"));
    }

    @Test
    void aRejectEndsTheHandshakeWithTheManagersReason() {
        send(new Message.Reject("worker id 3 is CONNECTED"));
        assertFalse(worker.isOpen());
        assertEquals("the manager refused this worker: worker id 3 is CONNECTED", outcome.rejection());
    }

    @Test
    void aTaskBeforeTheWelcomeIsNotAccepted() {
        send(challenge(secret));
        receivedOne();
        send(new Message.Task(1L, 1, new byte[] {1}));
        assertFalse(worker.isOpen());
        assertFalse(outcome.isAuthenticated());
    }
}
