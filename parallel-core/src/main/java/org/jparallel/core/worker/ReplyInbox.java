package org.jparallel.core.worker;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jparallel.core.loop.LoopInbox;
import org.jparallel.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty session's replies on their way from the task threads to the channel's loop (a {@link LoopInbox}: one
 * write and one flush per batch), and what becomes of them once the session has ended. They are dropped then, the big
 * results' buffers released, and said at debug: a closed connection cannot carry them, and the manager took its end
 * as the loss of the worker, so it runs again each task whose answer had not come (a result written late would not
 * count anyway). That holds for replies posted after the end (dropped at once), for those queued before it and
 * drained after (dropped by the drain), and for those left in the inbox of a loop that has stopped, which a refused
 * post takes ({@link LoopInbox#leftovers}); a post to a stopped loop does not fail its task thread. The blocking
 * transport does the same ({@link BlockingWrites}). Left to the exiting JVM (the worker's loop is shut down only when
 * its process is about to end): the replies of a post refused while the loop had stopped but not yet terminated
 * (nothing may take them then), and those of a drain a stopping loop accepted and then dropped (Netty 4.2) with no
 * post after it.
 */
final class ReplyInbox {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyInbox.class);

    private final LoopInbox<Message> inbox;
    private final BooleanSupplier open;
    private final Consumer<List<Message>> write;

    /**
     * @param loop the channel's loop
     * @param open whether the session's connection is open (the channel is active)
     * @param write writes a batch to the connection and flushes it, on the loop; it takes the big results' buffers
     */
    ReplyInbox(EventExecutor loop, BooleanSupplier open, Consumer<List<Message>> write) {
        this.open = open;
        this.write = write;
        this.inbox = new LoopInbox<>(loop, this::handle);
    }

    /** Sends a batch of replies, in order; from a task thread or the loop. Dropped when the session has ended. */
    void addAll(List<Message> batch) {
        if (!open.getAsBoolean()) {
            dropped(batch, "the connection is closed");
            return;
        }
        try {
            inbox.addAll(batch);
        } catch (RejectedExecutionException stopped) {
            // the batch is queued: once the loop has terminated, it is among the leftovers
            dropped(inbox.leftovers(), "the network loop has stopped");
        }
    }

    private void handle(List<Message> batch) {
        if (open.getAsBoolean()) {
            write.accept(batch);
        } else {
            dropped(batch, "the connection is closed");
        }
    }

    private static void dropped(List<Message> replies, String why) {
        if (replies.isEmpty()) {
            return;
        }
        for (Message m : replies) {
            if (m instanceof Message.BufferedResult r) {
                r.bytes().release();
            }
        }
        LOG.debug("dropped {} repl{} after the session ended ({}): the manager runs their tasks again, as for a lost "
                + "worker", replies.size(), replies.size() == 1 ? "y" : "ies", why);
    }
}
