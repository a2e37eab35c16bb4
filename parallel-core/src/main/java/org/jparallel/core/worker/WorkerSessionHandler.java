package org.jparallel.core.worker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.loop.LoopInbox;
import org.jparallel.core.protocol.HeartbeatSender;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.SerialFilter;

/**
 * The worker's side of an authenticated session: passes setups and tasks to the {@link TaskRunner},
 * sends results back, sends heartbeats from the network thread (never starved by a task), and ends
 * the session when the manager says so, goes away, or is silent past the death timeout.
 */
final class WorkerSessionHandler extends SimpleChannelInboundHandler<Message> {
    private final int deathTimeoutMillis;
    private final int heartbeatMillis;
    private final SessionOutcome outcome;
    private final SerialFilter filter;
    /** How often the network thread looks for replies held back too long while some are held. */
    private static final long HELD_CHECK_MILLIS = 5;
    /** How often it looks while the task thread is busy and holds none. */
    private static final long BUSY_CHECK_MILLIS = 20;
    private final Runnable heldCheck = this::checkHeld;
    private Channel channel;
    private boolean heldCheckArmed;
    private TaskRunner runner;
    private LoopInbox<Message> replies;

    WorkerSessionHandler(int deathTimeoutMillis, int heartbeatMillis, SessionOutcome outcome, SerialFilter filter) {
        this.deathTimeoutMillis = deathTimeoutMillis;
        this.heartbeatMillis = heartbeatMillis;
        this.outcome = outcome;
        this.filter = filter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        HeartbeatSender.start(ctx, heartbeatMillis);
        // replies go out in batches: all written by the network thread's next turn, with one flush
        Channel ch = ctx.channel();
        replies = new LoopInbox<>(ch.eventLoop(), batch -> {
            batch.forEach(m -> ch.write(m, ch.voidPromise()));
            ch.flush();
        });
        runner = new TaskRunner(replies::addAll, ClassLoader.getSystemClassLoader(), filter, ch.alloc());
        channel = ch;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        switch (msg.type()) {
            case SETUP, TASK, RELEASE, SHAPE -> runner.queue(msg); // the task thread goes on at the end of the read
            case CANCEL -> {
                Message.Cancel c = (Message.Cancel) msg;
                runner.cancel(c.taskId(), c.interrupt());
            }
            case HEARTBEAT -> {
            }
            case SHUTDOWN -> {
                outcome.ended("the manager asked this worker to shut down");
                ctx.close();
            }
            default -> {
                outcome.ended("protocol violation: the manager sent " + msg.type());
                ctx.close();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        runner.wake();
        if (!heldCheckArmed) {
            heldCheckArmed = true;
            ctx.executor().schedule(heldCheck, HELD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Sends the replies the task thread held back for a batch but then kept waiting, because the task
     * after them runs long (see {@link ReplyBatch}). Armed by a read, it runs every
     * {@link #HELD_CHECK_MILLIS} while replies are held and every {@link #BUSY_CHECK_MILLIS} while the
     * task thread is otherwise busy, and stops when it is idle: an idle worker's network thread sleeps.
     */
    private void checkHeld() {
        runner.sendHeldOlderThan(HELD_CHECK_MILLIS * 1_000_000L / 2);
        if (!channel.isActive() || !runner.busy()) {
            heldCheckArmed = false;
        } else {
            channel.eventLoop().schedule(heldCheck, runner.holding() ? HELD_CHECK_MILLIS : BUSY_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                outcome.ended("no word from the manager for " + deathTimeoutMillis + " ms; presuming it gone");
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        runner.shutdown();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        outcome.ended("connection error: " + cause);
        ctx.close();
    }
}
