package org.jparallel.core.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loops sleep a millisecond instead of polling for a task due sooner: such tasks still all run. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopsTest {
    @Test
    void tasksScheduledLessThanAMillisecondAheadAllRun() throws Exception {
        EventLoopGroup group = EventLoops.nio(1, new DefaultThreadFactory("events-test", true));
        try {
            EventLoop loop = group.next();
            int n = 200;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                loop.schedule(done::countDown, 100L * (i + 1), TimeUnit.MICROSECONDS);
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "every task ran; left: " + done.getCount());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aLoopStillWakesForWorkHandedToItFromAnotherThread() throws Exception {
        EventLoopGroup group = EventLoops.nio(1, new DefaultThreadFactory("events-test", true));
        try {
            EventLoop loop = group.next();
            loop.schedule(() -> { }, 1, TimeUnit.HOURS); // a far deadline: the loop sleeps long
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            assertTrue(ran.await(20, TimeUnit.SECONDS));
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
