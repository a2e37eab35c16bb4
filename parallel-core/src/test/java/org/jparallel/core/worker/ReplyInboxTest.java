package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Netty session's replies once it has ended: they cannot reach the manager (which re-runs their tasks, as for a lost
 * worker), so they are dropped, not written to a closed channel nor left in the inbox of a stopped loop, and the big
 * results' buffers are released.
 */
@ExtendWith(NoLeaks.class)
class ReplyInboxTest {
    private final List<String> written = new ArrayList<>();

    private static Message.BufferedResult big(long taskId) {
        ByteBuf b = Unpooled.directBuffer(16).writeLong(taskId);
        return new Message.BufferedResult(taskId, 1, b);
    }

    private void write(List<Message> batch) {
        for (Message m : batch) {
            written.add(m.type() + " " + taskIdOf(m));
            if (m instanceof Message.BufferedResult r) {
                r.bytes().release(); // as the encoder does
            }
        }
    }

    private static long taskIdOf(Message m) {
        return m instanceof Message.BufferedResult r ? r.taskId() : ((Message.Result) m).taskId();
    }

    @Test
    void repliesOfALiveSessionAreWrittenInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ReplyInbox replies = new ReplyInbox(ch.eventLoop(), ch::isActive, this::write);
            replies.addAll(List.of(new Message.Result(1, new byte[0]), big(2)));
            ch.runPendingTasks();
            assertEquals(List.of("RESULT 1", "RESULT 2"), written);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void repliesAfterTheSessionEndedAreDroppedAndTheirBuffersReleased() {
        EmbeddedChannel ch = new EmbeddedChannel();
        AtomicBoolean open = new AtomicBoolean(true);
        ReplyInbox replies = new ReplyInbox(ch.eventLoop(), open::get, this::write);
        Message.BufferedResult queuedBeforeTheEnd = big(1);
        replies.addAll(List.of(queuedBeforeTheEnd));
        open.set(false); // the connection closed before the loop drained the inbox
        Message.BufferedResult after = big(2);
        replies.addAll(List.of(after));
        ch.runPendingTasks();
        assertEquals(List.of(), written, "nothing goes to a closed connection");
        assertEquals(0, queuedBeforeTheEnd.bytes().refCnt(), "queued before the end, released by the drain");
        assertEquals(0, after.bytes().refCnt(), "posted after the end, released at once");
        ch.finishAndReleaseAll();
    }

    @Test
    void repliesPostedAfterTheLoopStoppedAreDroppedNotLeftQueuedAndDoNotFail() {
        DefaultEventExecutor loop = new DefaultEventExecutor();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        ReplyInbox replies = new ReplyInbox(loop, () -> true, this::write);
        Message.BufferedResult r = big(3);
        replies.addAll(List.of(r)); // the task thread's reply, after its session's loop was shut down
        assertEquals(0, r.bytes().refCnt(), "taken from the stopped loop's inbox and released, not leaked");
        assertTrue(written.isEmpty());
    }
}
