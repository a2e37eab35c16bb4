package org.jparallel.core.protocol;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a heartbeat at a fixed interval on an authenticated connection, from its own event loop,
 * until the connection closes. A heartbeat every interval costs a few bytes a second; watching for
 * idle writes instead (Netty's writer-idle check) cost a promise and a listener on every message.
 */
public final class HeartbeatSender {
    private HeartbeatSender() {
    }

    /**
     * @param ctx the session handler's context
     * @param intervalMillis the time between heartbeats
     */
    public static void start(ChannelHandlerContext ctx, long intervalMillis) {
        ScheduledFuture<?> beat = ctx.executor().scheduleAtFixedRate(() -> {
            if (ctx.channel().isActive()) {
                ctx.channel().writeAndFlush(Message.Heartbeat.INSTANCE, ctx.channel().voidPromise());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> beat.cancel(false));
    }
}
