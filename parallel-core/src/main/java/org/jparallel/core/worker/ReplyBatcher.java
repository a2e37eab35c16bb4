package org.jparallel.core.worker;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jparallel.core.protocol.Message;

/**
 * Carries the task thread's replies to the network thread in batches: a reply is queued, and one
 * drain at a time runs on the network thread, writing everything queued by then with a single
 * flush. A reply never waits for the next task to finish, and a busy worker sends many results per
 * system call and per thread wake-up instead of one.
 */
final class ReplyBatcher implements Consumer<Message> {
    private final Channel channel;
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    ReplyBatcher(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void accept(Message reply) {
        queue.add(reply);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        Message m;
        while ((m = queue.poll()) != null) {
            channel.write(m, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }
}
