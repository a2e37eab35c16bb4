package org.jparallel.core.manager;

import io.netty.channel.Channel;
import org.jparallel.core.dispatch.WorkerLink;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.protocol.FrameBatch;
import org.jparallel.core.protocol.Message;

/**
 * A {@link WorkerLink} over a Netty channel; used on the channel's own event loop. Messages wait here
 * until {@link #flush}, which writes them with the small frames in one buffer ({@link FrameBatch}):
 * a worker's share of tiny tasks goes out as one buffer, not one pipeline pass each.
 */
final class ChannelWorkerLink implements WorkerLink {
    private final Channel channel;
    private final List<Message> pending = new ArrayList<>();

    ChannelWorkerLink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(Message message) {
        pending.add(message);
    }

    @Override
    public void flush() {
        if (!pending.isEmpty()) {
            FrameBatch.write(channel, pending);
            pending.clear();
        }
        channel.flush();
    }

    @Override
    public void close() {
        pending.clear(); // as Netty drops writes not flushed when a channel closes
        channel.close();
    }
}
