package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handshake timeout and the serial filter come from the settings; the filter, and whether the manager can be
 * resumed (it keeps a journal), reach the worker in WELCOME.
 */
@ExtendWith(NoLeaks.class)
class HandshakeSettingsTest {
    private final Secret secret = Secret.generate();
    private final AtomicInteger pending = new AtomicInteger();

    private EmbeddedChannel channel(ManagerSettings settings) {
        Dispatcher d = new Dispatcher(settings, new DispatcherFakes.Listener(), new AtomicInteger(1)::getAndIncrement);
        return new EmbeddedChannel(new MessageDecoder(), new MessageEncoder(),
                new ManagerHandshakeHandler(secret, settings, d, pending));
    }

    @Test
    void theHandshakeTimeoutIsConfigurable() {
        ManagerSettings s = Manager.builder().handshakeTimeout(Duration.ofMillis(500)).settings();
        EmbeddedChannel ch = channel(s);
        ch.advanceTimeBy(400, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen(), "closed after the configured 500 ms");
        assertEquals(0, pending.get());
    }

    @Test
    void theWelcomeCarriesTheSerialFilter() {
        String pattern = "com.example.**;java.base/*;!*";
        assertEquals(pattern, welcome(Manager.builder().serialFilter(pattern).settings()).serialFilter());
    }

    @Test
    void theWelcomeSaysWhetherTheManagerCanBeResumedThatIsWhetherItKeepsAJournal() {
        assertFalse(welcome(Manager.builder().settings()).resumable(), "without a journal");
        assertTrue(welcome(Manager.builder().journal(java.nio.file.Path.of("run.journal")).settings()).resumable(),
                "with a journal");
    }

    @Test
    void aJournaledManagerWithTlsButNoKeystoreCannotBeResumedItsWorkersPinACertificateNoRestartPresents() {
        java.nio.file.Path journal = java.nio.file.Path.of("run.journal");
        assertFalse(welcome(Manager.builder().journal(journal).tls(true).settings()).resumable(),
                "a self-signed certificate made for this run: a restarted manager presents another one");
        assertTrue(welcome(Manager.builder().journal(journal).tls(true).tlsKeystore("manager.p12", "KS_PASSWORD")
                .settings()).resumable(), "the keystore's certificate, kept with the journal, is presented again");
        assertFalse(welcome(Manager.builder().tls(true).tlsKeystore("manager.p12", "KS_PASSWORD").settings())
                .resumable(), "no journal");
    }

    /** @return the WELCOME a manager with settings {@code s} sends a worker that holds the secret */
    private Message.Welcome welcome(ManagerSettings s) {
        EmbeddedChannel ch = channel(s);
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        EmbeddedChannel dec = new EmbeddedChannel(new MessageDecoder());
        byte[] nonce = Secret.nonce();
        enc.writeOutbound(new Message.Hello(MessageEncoder.VERSION, 0, 1L, "h", "17", nonce));
        ch.writeInbound((ByteBuf) enc.readOutbound());
        dec.writeInbound((ByteBuf) ch.readOutbound());
        Message.Challenge c = dec.readInbound();
        enc.writeOutbound(new Message.Proof(secret.workerMac(nonce, c.nonce(), 0)));
        ch.writeInbound((ByteBuf) enc.readOutbound());
        MessageDecoder lifted = new MessageDecoder();
        EmbeddedChannel dec2 = new EmbeddedChannel(lifted);
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            dec2.writeInbound(b);
        }
        Message.Welcome w = assertInstanceOf(Message.Welcome.class, dec2.readInbound());
        List.of(ch, enc, dec, dec2).forEach(EmbeddedChannel::finishAndReleaseAll);
        return w;
    }
}
