package org.jparallel.core.worker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.jparallel.core.protocol.FrameBatch;
import org.jparallel.core.protocol.HeartbeatSender;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.SerialFilter;

/**
 * The worker's side of an authenticated session: passes setups and tasks to the {@link TaskRunner},
 * sends results back, sends heartbeats from the network thread (never starved by a task), and ends
 * the session when the manager says so, goes away, or is silent past the death timeout. Replaces the
 * {@link WorkerHandshakeHandler} once the manager welcomes the worker; the manager's side is {@code
 * core.manager.ManagerSessionHandler}.
 */
final class WorkerSessionHandler extends SimpleChannelInboundHandler<Message> {
    private final int deathTimeoutMillis;
    private final int heartbeatMillis;
    private final SessionOutcome outcome;
    private final SerialFilter filter;
    private final int maxFrameBytes;
    private HeldReplyWatch heldReplies;
    private boolean queuedWork;
    private TaskRunner runner;
    /** Dropped once the session has ended (see {@link ReplyInbox}): the manager runs their tasks again. */
    private ReplyInbox replies;

    private final int slots;

    /**
     * @param slots how many tasks the worker runs at once
     * @param maxFrameBytes the manager's frame limit: a result over it fails its task instead of the connection
     */
    WorkerSessionHandler(int deathTimeoutMillis, int heartbeatMillis, SessionOutcome outcome, SerialFilter filter,
            int maxFrameBytes, int slots) {
        super(Message.class); // the type given: Netty would otherwise find it by generic reflection, in a fresh JVM
        this.slots = slots;
        this.maxFrameBytes = maxFrameBytes;
        this.deathTimeoutMillis = deathTimeoutMillis;
        this.heartbeatMillis = heartbeatMillis;
        this.outcome = outcome;
        this.filter = filter;
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
        HeartbeatSender.start(ctx, heartbeatMillis);
        // replies go out in batches: all written by the network thread's next turn, with one flush
        Channel ch = ctx.channel();
        replies = new ReplyInbox(ch.eventLoop(), ch::isActive, batch -> {
            FrameBatch.write(ch, batch);
            ch.flush();
        });
        runner = new TaskRunner(replies::addAll, ClassLoader.getSystemClassLoader(), filter, ch.alloc(), maxFrameBytes, slots);
        heldReplies = new HeldReplyWatch(runner, ch::isActive, ch.eventLoop());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        switch (msg.type()) {
            case SETUP, TASK, RELEASE, SHAPE -> {
                runner.queue(msg); // the task thread goes on at the end of the read
                queuedWork = true;
            }
            case CANCEL -> {
                Message.Cancel c = (Message.Cancel) msg;
                runner.cancel(c.taskId(), c.interrupt());
            }
            case HEARTBEAT -> {
            }
            case SHUTDOWN -> {
                outcome.endedForGood("the manager asked this worker to shut down");
                ctx.close();
            }
            default -> {
                outcome.endedForGood("protocol violation: the manager sent " + msg.type());
                ctx.close();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        runner.wake();
        if (queuedWork) { // not for a heartbeat, nor for the welcome that starts the session
            queuedWork = false;
            heldReplies.arm();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                outcome.silent("no word from the manager for " + deathTimeoutMillis + " ms; presuming it gone");
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        heldReplies.close();
        runner.shutdown();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        outcome.ended("connection error: " + cause);
        ctx.close();
    }
}
