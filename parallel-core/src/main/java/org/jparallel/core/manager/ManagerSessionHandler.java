package org.jparallel.core.manager;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.function.Function;
import org.jparallel.ManagerSettings;
import org.jparallel.RemoteTaskException;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.protocol.HeartbeatSender;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.Payloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's side of an authenticated worker connection: hands results and failures to the
 * dispatcher, sends a heartbeat every interval, and declares the worker lost when it is
 * silent past the heartbeat timeout or the connection ends. Replaces the {@link ManagerHandshakeHandler}
 * once a worker is admitted; the worker's side is {@code core.worker.WorkerSessionHandler}.
 */
final class ManagerSessionHandler extends SimpleChannelInboundHandler<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerSessionHandler.class);

    /** Stands for a failure that is dropped unread: the dispatcher ignores it, as the worker does not hold the task. */
    private static final RemoteTaskException NOT_READ = new RemoteTaskException("org.jparallel.UnreadFailure",
            "a failure of a task this worker does not hold; not read", new StackTraceElement[0], null);

    private final int workerId;
    private final Dispatcher dispatcher;
    private final ManagerSettings settings;
    private final Function<byte[], RemoteTaskException> failureReader;
    private String lossReason;

    ManagerSessionHandler(int workerId, Dispatcher dispatcher, ManagerSettings settings) {
        this(workerId, dispatcher, settings, ManagerSessionHandler::readFailure);
    }

    /** @param failureReader reads a FAILURE's payload (a test counts its calls) */
    ManagerSessionHandler(int workerId, Dispatcher dispatcher, ManagerSettings settings,
            Function<byte[], RemoteTaskException> failureReader) {
        super(Message.class); // the type given: Netty would otherwise find it by generic reflection, in a fresh JVM
        this.workerId = workerId;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.failureReader = failureReader;
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
    public void handlerAdded(ChannelHandlerContext ctx) {
        HeartbeatSender.start(ctx, settings.heartbeatInterval().toMillis());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        switch (msg.type()) {
            case RESULT -> {
                if (msg instanceof Message.HeldResult h) {
                    dispatcher.onResult(workerId, h.taskId(), h.workMicros(), h.payload(), h.rawBytes());
                } else {
                    Message.Result r = (Message.Result) msg;
                    dispatcher.onResult(workerId, r.taskId(), r.workMicros(), r.payload(), r.rawBytes());
                }
            }
            case FAILURE -> {
                Message.Failure f = (Message.Failure) msg;
                // read only a failure that counts: a peer cannot make the manager deserialize any other
                RemoteTaskException error = dispatcher.holds(workerId, f.taskId())
                        ? failureReader.apply(f.payload()) : NOT_READ;
                dispatcher.onFailure(workerId, f.taskId(), error);
            }
            case HEARTBEAT -> {
            }
            default -> {
                lossReason = "protocol violation: a worker sent " + msg.type();
                ctx.close();
            }
        }
    }

    private static RemoteTaskException readFailure(byte[] payload) {
        try {
            return Payloads.deserializeFailure(payload).toException();
        } catch (IOException e) {
            return new RemoteTaskException("org.jparallel.UnreadableFailure",
                    "the worker reported a failure the manager could not read: " + e.getMessage(),
                    new StackTraceElement[0], null);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                lossReason = "no heartbeat for " + settings.heartbeatTimeout().toMillis() + " ms (hung, stopped or cut off)";
                // a worker that only stalled reads this when it wakes and exits, rather than seek its manager again
                ctx.writeAndFlush(Message.Shutdown.INSTANCE);
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dispatcher.workerDisconnected(workerId, lossReason != null ? lossReason : "its connection closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (lossReason == null) {
            lossReason = "connection error: " + (cause.getCause() != null ? cause.getCause() : cause);
        }
        LOG.debug("worker {} connection error", workerId, cause);
        ctx.close();
    }
}
