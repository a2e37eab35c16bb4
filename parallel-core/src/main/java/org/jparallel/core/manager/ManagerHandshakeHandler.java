package org.jparallel.core.manager;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.Admission;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.protocol.SocketReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's side of the handshake on one connection: HELLO, then CHALLENGE with the manager's
 * proof, then the worker's PROOF, checked in constant time. Only then is the worker admitted to the
 * dispatcher and the frame limit raised. A peer that is silent, slow, speaks another protocol or
 * lacks the secret is dropped; the number of connections still in handshake is capped. Each drop is
 * warned about ({@link ConnectionDropLog}) but one that is part of a normal close: one of the manager's own
 * workers, still starting when it shut down, that connects late is told so, and logged at debug.
 */
final class ManagerHandshakeHandler extends SimpleChannelInboundHandler<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerHandshakeHandler.class);
    /** How long a peer may take to complete the handshake, by default. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = ManagerSettings.DEFAULT_HANDSHAKE_TIMEOUT.toMillis();
    /** How many connections may be in handshake at once. */
    static final int MAX_PENDING = 256;

    private final Secret secret;
    private final ManagerSettings settings;
    private final Dispatcher dispatcher;
    private final AtomicInteger pending;
    private final ConnectionDropLog drops;
    private Message.Hello hello;
    private byte[] managerNonce;
    private ScheduledFuture<?> timeout;
    private boolean counted;

    ManagerHandshakeHandler(Secret secret, ManagerSettings settings, Dispatcher dispatcher, AtomicInteger pending) {
        this(secret, settings, dispatcher, pending, new ConnectionDropLog());
    }

    /**
     * @param pending the number of connections in handshake, shared by all of the server's connections
     * @param drops the warnings about dropped connections, shared by all of the server's connections
     */
    ManagerHandshakeHandler(Secret secret, ManagerSettings settings, Dispatcher dispatcher, AtomicInteger pending,
                            ConnectionDropLog drops) {
        super(Message.class); // the type given: Netty would otherwise find it by generic reflection, in a fresh JVM
        this.secret = secret;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.pending = pending;
        this.drops = drops;
    }

    /**
     * Not sharable: one per channel. Said here rather than found by Netty, which reads the class's
     * annotations for {@code @Sharable} and in a fresh JVM spins proxy classes for them and theirs.
     */
    @Override
    public boolean isSharable() {
        return false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        if (pending.incrementAndGet() > MAX_PENDING) {
            drops.dropped("with every handshake slot taken", "dropped a connection from "
                    + ctx.channel().remoteAddress() + ": " + MAX_PENDING + " connections are already in handshake");
            ctx.close();
            return;
        }
        long limit = settings.handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            drops.dropped("without a handshake in time", "dropped a connection from " + ctx.channel().remoteAddress()
                    + ": no handshake within " + limit + " ms (jparallel.manager.handshake-timeout)");
            ctx.close();
        }, limit, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Message.Hello h && hello == null) {
            if (h.version() != MessageEncoder.VERSION) {
                reject(ctx, "the worker speaks protocol version " + h.version() + " but this manager speaks "
                        + MessageEncoder.VERSION + ": run the same jparallel version on both sides");
                return;
            }
            hello = h;
            managerNonce = Secret.nonce();
            ctx.writeAndFlush(new Message.Challenge(managerNonce, secret.managerMac(h.nonce(), managerNonce, h.workerId())));
        } else if (msg instanceof Message.Proof p && hello != null) {
            byte[] expected = secret.workerMac(hello.nonce(), managerNonce, hello.workerId());
            if (!Secret.matches(expected, p.mac())) {
                reject(ctx, "authentication failed: the worker does not hold this run's secret");
                return;
            }
            admit(ctx);
        } else {
            reject(ctx, "unexpected " + msg.type() + " during the handshake");
        }
    }

    private void admit(ChannelHandlerContext ctx) {
        done();
        Admission a = dispatcher.admit(hello);
        if (!a.admitted()) {
            reject(ctx, a.rejection(), a.expected());
            return;
        }
        ctx.pipeline().get(MessageDecoder.class).authenticated(settings.maxFrameBytes());
        ctx.pipeline().get(MessageDecoder.class).holdResultsOffHeap();
        ctx.pipeline().get(MessageDecoder.class).bigResultsAhead();
        SocketReads.authenticated(ctx.channel());
        ctx.writeAndFlush(new Message.Welcome((int) settings.heartbeatInterval().toMillis(),
                (int) settings.workerDeathTimeout().toMillis(), settings.maxFrameBytes(), settings.serialFilter(),
                RunCredentials.resumable(settings))); // a restarted manager may take this worker back
        ctx.pipeline().addFirst("idle", new IdleStateHandler(settings.heartbeatTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        // results read in one go are answered with one write: flushes wait for the end of the read
        ctx.pipeline().addFirst("flush", new FlushConsolidationHandler(256, true));
        ctx.pipeline().replace(this, "session", new ManagerSessionHandler(a.workerId(), dispatcher, settings));
        dispatcher.attach(a.workerId(), new ChannelWorkerLink(ctx.channel()));
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        reject(ctx, reason, false);
    }

    /** @param expected whether the rejection is part of a normal close: logged at debug, not warned about */
    private void reject(ChannelHandlerContext ctx, String reason, boolean expected) {
        String line = "rejected a connection from " + ctx.channel().remoteAddress() + ": " + reason;
        if (expected) {
            LOG.debug("{} (worker {}, started by this manager, connected late)", line, hello.workerId());
        } else {
            drops.dropped("rejected", line);
        }
        done();
        ctx.writeAndFlush(new Message.Reject(reason)).addListener(f -> ctx.close());
    }

    private void done() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        if (counted) {
            counted = false;
            pending.decrementAndGet();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        drops.dropped("for bad input during the handshake", "dropped a connection from " + ctx.channel().remoteAddress()
                + " during the handshake: " + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()));
        done();
        ctx.close();
    }
}
