package org.jparallel.core.manager;

import io.netty.channel.Channel;
import org.jparallel.core.dispatch.WorkerLink;
import org.jparallel.core.protocol.Message;

/** A {@link WorkerLink} over a Netty channel; used on the channel's own event loop. */
final class ChannelWorkerLink implements WorkerLink {
    private final Channel channel;

    ChannelWorkerLink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(Message message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        channel.close();
    }
}
