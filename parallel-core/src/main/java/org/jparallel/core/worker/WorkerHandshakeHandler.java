package org.jparallel.core.worker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.internal.logging.InternalLogger;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.SocketReads;
import org.jparallel.core.tls.PinMismatchException;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * The worker's side of the handshake on Netty's pipeline (the logic is {@link WorkerHandshake}'s): sends HELLO, checks the manager's proof before proving itself
 * (so a worker never takes work from a peer without the secret), then switches the pipeline to the
 * session handler with the heartbeat timings the manager sent. When the worker tries several
 * addresses at once, a {@link ProofGate} lets only the first verified attempt send PROOF.
 */
final class WorkerHandshakeHandler extends SimpleChannelInboundHandler<Message> {
    private static final InternalLogger LOG = WorkerLogs.logger(WorkerHandshakeHandler.class);

    private final WorkerOptions options;
    private final SessionOutcome outcome;
    private final ProofGate gate;
    private final WorkerHandshake handshake;

    WorkerHandshakeHandler(WorkerOptions options, SessionOutcome outcome) {
        this(options, outcome, ProofGate.ALWAYS);
    }

    /**
     * @param gate decides whether this attempt may send PROOF once the manager has proved itself
     *     (one of several parallel attempts to different addresses of the manager)
     */
    WorkerHandshakeHandler(WorkerOptions options, SessionOutcome outcome, ProofGate gate) {
        super(Message.class); // the type given: Netty would otherwise find it by generic reflection, in a fresh JVM
        this.options = options;
        this.outcome = outcome;
        this.gate = gate;
        this.handshake = new WorkerHandshake(options, outcome, gate);
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
        ctx.writeAndFlush(handshake.hello());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        WorkerHandshake.Step step = handshake.onMessage(msg, ctx.channel().remoteAddress(), ctx.channel());
        if (step.close()) {
            ctx.close();
        } else if (step.send != null) {
            ctx.writeAndFlush(step.send);
        } else if (step.welcome != null) {
            Message.Welcome w = step.welcome;
            ctx.pipeline().get(MessageDecoder.class).authenticated(w.maxFrameBytes());
            SocketReads.authenticated(ctx.channel());
            ctx.pipeline().addFirst("idle", new IdleStateHandler(w.deathTimeoutMillis(), 0, 0,
                    TimeUnit.MILLISECONDS));
            ctx.pipeline().replace(this, "session", new WorkerSessionHandler(w.deathTimeoutMillis(), w.heartbeatMillis(),
                    outcome, step.filter, w.maxFrameBytes(), options.slots()));
            outcome.authenticated(w.deathTimeoutMillis(), w.resumable());
            gate.welcomed(ctx.channel());
            LOG.info("connected to the manager at {} as worker {}", ctx.channel().remoteAddress(), options.workerId());
        }
    }

    /**
     * A failed TLS handshake is announced by this event before the TLS handler closes the channel; the
     * exception itself reaches {@link #exceptionCaught} only after the close, too late for the address
     * race to see that the peer was refused rather than merely gone. A pinning failure is definitive.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            PinMismatchException pin = PinMismatchException.in(e.cause());
            if (pin != null) {
                outcome.rejected("TLS: " + pin.getMessage());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        outcome.rejected("handshake failed: " + rootMessage(cause));
        ctx.close();
    }

    /** @return the message of the innermost cause that has one (a pinning failure sits deep in TLS exceptions) */
    static String rootMessage(Throwable t) {
        String msg = String.valueOf(t);
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertificateException) {
                return "TLS: " + c.getMessage();
            }
            if (c.getMessage() != null) {
                msg = c.getMessage();
            }
        }
        return msg;
    }
}
