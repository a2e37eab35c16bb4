package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A round of parallel attempts on EmbeddedChannels, the manager played by hand on each: the first
 * attempt to verify the manager's CHALLENGE is the only one to send PROOF; the others close before
 * proving anything.
 */
@ExtendWith(NoLeaks.class)
class AddressRaceTest {
    private static final int WORKER_ID = 5;
    private final Secret secret = Secret.generate();
    private final WorkerOptions options = new WorkerOptions(List.of("x:1"), WORKER_ID, secret, Duration.ofSeconds(5));
    private final Map<String, EmbeddedChannel> channels = new LinkedHashMap<>();
    private final Map<String, Message.Hello> hellos = new HashMap<>();
    private final Set<String> unreachable = new java.util.HashSet<>();
    /** How the connect to an address fails, when not refused as an unreachable one's is. */
    private final Map<String, Throwable> failures = new HashMap<>();
    private final Set<String> stillConnecting = new java.util.HashSet<>();
    private final AddressRace race = new AddressRace(1, new HashMap<>());

    private final AddressRace.Connector connector = (address, outcome, gate) -> {
        if (unreachable.contains(address) || failures.containsKey(address)) {
            EmbeddedChannel ch = new EmbeddedChannel();
            ChannelPromise p = ch.newPromise();
            ch.close();
            return p.setFailure(failures.getOrDefault(address, new ConnectException("Connection refused: " + address)));
        }
        if (stillConnecting.contains(address)) {
            // as NIO does: closing a channel that is still connecting fails its connect promise
            EmbeddedChannel ch = new EmbeddedChannel();
            channels.put(address, ch);
            ChannelPromise p = ch.newPromise();
            ch.closeFuture().addListener(f -> p.tryFailure(new ClosedChannelException()));
            return p;
        }
        EmbeddedChannel ch = new EmbeddedChannel(new MessageDecoder(), new MessageEncoder(),
                new WorkerHandshakeHandler(options, outcome, gate));
        channels.put(address, ch);
        hellos.put(address, assertInstanceOf(Message.Hello.class, one(sent(ch))));
        return ch.newSucceededFuture();
    };

    @AfterEach
    void close() {
        channels.values().forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static List<Message> sent(EmbeddedChannel ch) {
        ch.runPendingTasks();
        EmbeddedChannel decoding = new EmbeddedChannel(new MessageDecoder());
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            decoding.writeInbound(b);
        }
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = decoding.readInbound()) != null) {
            out.add(m);
        }
        decoding.finishAndReleaseAll();
        return out;
    }

    private static Message one(List<Message> got) {
        assertEquals(1, got.size(), got.toString());
        return got.get(0);
    }

    private static void deliver(EmbeddedChannel ch, Message m) {
        EmbeddedChannel encoder = new EmbeddedChannel(new MessageEncoder());
        encoder.writeOutbound(m);
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            ch.writeInbound(b);
        }
        ch.runPendingTasks();
        encoder.finishAndReleaseAll();
    }

    private Message.Challenge challenge(String address, Secret s) {
        byte[] nonce = Secret.nonce();
        return new Message.Challenge(nonce, s.managerMac(hellos.get(address).nonce(), nonce, WORKER_ID));
    }

    private AddressRace.Attempt attempt(String address) {
        return race.attempts().stream().filter(a -> a.address.equals(address)).findFirst().orElseThrow();
    }

    @Test
    void theFirstVerifiedChallengeAloneSendsProofTheOthersCloseWithoutProving() {
        race.start(List.of("a:1", "b:1", "c:1"), connector);
        EmbeddedChannel a = channels.get("a:1");
        EmbeddedChannel b = channels.get("b:1");
        EmbeddedChannel c = channels.get("c:1");

        deliver(b, challenge("b:1", secret));
        assertInstanceOf(Message.Proof.class, one(sent(b)));
        assertFalse(a.isOpen(), "a loser stays open after b won");
        assertFalse(c.isOpen(), "a loser stays open after b won");
        assertTrue(sent(a).isEmpty(), "a loser sent something after its HELLO");
        assertTrue(sent(c).isEmpty(), "a loser sent something after its HELLO");
        assertEquals(AddressRace.Kind.LOST, attempt("a:1").kind());
        assertEquals(AddressRace.Kind.LOST, attempt("c:1").kind());
        assertTrue(attempt("a:1").describe().contains("closed before PROOF"), attempt("a:1").describe());
        assertTrue(attempt("a:1").describe().contains("b:1 answered first"), attempt("a:1").describe());
        assertFalse(race.result().isDone(), "no WELCOME yet");

        deliver(b, new Message.Welcome(2000, 60000, 1 << 20));
        assertSame(attempt("b:1"), race.result().getNow(null));
        assertEquals(AddressRace.Kind.WON, attempt("b:1").kind());
        assertTrue(b.isOpen());
        assertTrue(attempt("b:1").outcome.isAuthenticated());
        assertNull(race.rejection());
    }

    @Test
    void aGateThatSaysNoMakesTheHandlerCloseWithoutProof() {
        SessionOutcome outcome = new SessionOutcome();
        ProofGate never = new ProofGate() {
            @Override
            public boolean mayProve(Channel channel) {
                return false;
            }

            @Override
            public void welcomed(Channel channel) {
                throw new AssertionError("welcomed without a proof");
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new MessageDecoder(), new MessageEncoder(),
                new WorkerHandshakeHandler(options, outcome, never));
        channels.put("late:1", ch);
        hellos.put("late:1", assertInstanceOf(Message.Hello.class, one(sent(ch))));
        deliver(ch, challenge("late:1", secret));
        assertTrue(sent(ch).isEmpty(), "PROOF sent although the gate said no");
        assertFalse(ch.isOpen());
        assertNull(outcome.rejection(), "losing the race is not a refusal");
    }

    @Test
    void aPeerWithoutTheSecretDoesNotWinAndAnotherAddressStillCan() {
        race.start(List.of("imposter:1", "real:1"), connector);
        EmbeddedChannel imposter = channels.get("imposter:1");
        EmbeddedChannel real = channels.get("real:1");

        deliver(imposter, challenge("imposter:1", Secret.generate()));
        assertTrue(sent(imposter).isEmpty());
        assertFalse(imposter.isOpen());
        assertEquals(AddressRace.Kind.REFUSED, attempt("imposter:1").kind());

        deliver(real, challenge("real:1", secret));
        assertInstanceOf(Message.Proof.class, one(sent(real)));
        deliver(real, new Message.Welcome(2000, 60000, 1 << 20));
        assertSame(attempt("real:1"), race.result().getNow(null));
    }

    @Test
    void anAttemptStillConnectingWhenAnotherWinsIsAbandoned() {
        stillConnecting.add("slow:1");
        race.start(List.of("slow:1", "fast:1"), connector);
        EmbeddedChannel fast = channels.get("fast:1");
        deliver(fast, challenge("fast:1", secret));
        assertInstanceOf(Message.Proof.class, one(sent(fast)));

        assertFalse(channels.get("slow:1").isOpen());
        AddressRace.Attempt slow = attempt("slow:1");
        assertEquals(AddressRace.Kind.LOST, slow.kind());
        assertTrue(slow.describe().startsWith("abandoned while connecting"), slow.describe());
    }

    @Test
    void whenNoAddressAnswersTheRoundEndsWithoutAWinnerAndSaysWhyForEach() {
        unreachable.addAll(List.of("a:1", "b:1"));
        race.start(List.of("a:1", "b:1"), connector);
        assertTrue(race.result().isDone());
        assertNull(race.result().getNow(null));
        for (AddressRace.Attempt a : race.attempts()) {
            assertEquals(AddressRace.Kind.UNREACHABLE, a.kind());
            assertTrue(a.describe().contains("Connection refused: " + a.address), a.describe());
        }
        assertNull(race.rejection(), "unreachable is worth a retry, not a refusal");
    }

    @Test
    void nobodyListensOnlyWhenEveryAddressRefusedTheConnectionNotWhenOneTimedOutOrHadNoRoute() {
        unreachable.add("a:1");
        failures.put("b:1", new ConnectTimeoutException("connection timed out: b:1"));
        failures.put("c:1", new NoRouteToHostException("No route to host"));
        race.start(List.of("a:1", "b:1", "c:1"), connector);
        assertTrue(attempt("a:1").nobodyListens(), "refused by the host: nobody listens there");
        assertFalse(attempt("b:1").nobodyListens(), "a connect that timed out: the manager may be alive");
        assertFalse(attempt("c:1").nobodyListens(), "no route: a network blip, the manager may be alive");
        assertFalse(race.nobodyListens());

        AddressRace refusedEverywhere = new AddressRace(2, new HashMap<>());
        unreachable.addAll(List.of("b:1", "c:1"));
        failures.clear();
        refusedEverywhere.start(List.of("a:1", "b:1", "c:1"), connector);
        assertTrue(refusedEverywhere.nobodyListens());
    }

    @Test
    void aRejectAfterTheProofEndsTheRoundWithTheManagersReason() {
        race.start(List.of("a:1", "b:1"), connector);
        EmbeddedChannel a = channels.get("a:1");
        deliver(a, challenge("a:1", secret));
        assertInstanceOf(Message.Proof.class, one(sent(a)));
        deliver(a, new Message.Reject("worker id 5 is CONNECTED"));

        assertTrue(race.result().isDone());
        assertNull(race.result().getNow(null));
        assertEquals(AddressRace.Kind.LOST, attempt("b:1").kind());
        assertEquals(AddressRace.Kind.REFUSED, attempt("a:1").kind());
        assertEquals("the manager refused this worker: worker id 5 is CONNECTED", race.rejection());
    }
}
