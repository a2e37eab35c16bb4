package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dropped connections are logged in full only a few times per interval, the rest summed up by kind. */
@ExtendWith(NoLeaks.class)
class ConnectionDropLogTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final List<String> lines = new ArrayList<>();
    private final ConnectionDropLog log = new ConnectionDropLog(now::get, lines::add, 3, 10 * SECOND);

    @Test
    void theFirstDropsOfAnIntervalAreLoggedInFullTheRestAsOneSummaryByKind() {
        for (int i = 0; i < 1_000; i++) {
            log.dropped(i % 4 == 0 ? "rejected" : "without a handshake in time", "line " + i);
        }
        assertEquals(List.of("line 0", "line 1", "line 2"), lines);
        now.addAndGet(9 * SECOND);
        log.flushIfDue();
        assertEquals(3, lines.size(), "no summary before the interval is over");
        now.addAndGet(SECOND);
        log.flushIfDue();
        assertEquals(4, lines.size());
        assertEquals("dropped 997 more connection(s) within 10 s, not logged one by one: 748 without a handshake in time"
                + ", 249 rejected", lines.get(3));
    }

    @Test
    void aDropAfterTheIntervalSumsUpTheLastOneAndStartsAnotherInFull() {
        for (int i = 0; i < 5; i++) {
            log.dropped("rejected", "a" + i);
        }
        now.addAndGet(60 * SECOND);
        log.dropped("rejected", "b0");
        assertEquals(List.of("a0", "a1", "a2",
                "dropped 2 more connection(s) within 10 s, not logged one by one: 2 rejected", "b0"), lines);
        log.flush();
        assertEquals(5, lines.size(), "nothing suppressed, nothing to sum up");
    }

    @Test
    void flushSumsUpTheCurrentInterval() {
        for (int i = 0; i < 4; i++) {
            log.dropped("rejected", "a" + i);
        }
        log.flush();
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("dropped 1 more connection(s)"), lines.get(3));
        log.flushIfDue();
        now.addAndGet(60 * SECOND);
        log.flushIfDue();
        assertEquals(4, lines.size(), "a summary is written once");
    }

    @Test
    void connectionsTimingOutInTheHandshakeShareTheLimit() {
        ManagerSettings s = Manager.builder().handshakeTimeout(Duration.ofMillis(500)).settings();
        Dispatcher d = new Dispatcher(s, new DispatcherFakes.Listener(), new AtomicInteger(1)::getAndIncrement);
        AtomicInteger pending = new AtomicInteger();
        Secret secret = Secret.generate();
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            channels.add(new EmbeddedChannel(new MessageDecoder(), new MessageEncoder(),
                    new ManagerHandshakeHandler(secret, s, d, pending, log)));
        }
        for (EmbeddedChannel ch : channels) {
            ch.advanceTimeBy(600, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertFalse(ch.isOpen());
        }
        assertEquals(3, lines.size(), "three in full: " + lines);
        assertTrue(lines.get(0).contains("no handshake within 500 ms"), lines.get(0));
        log.flush();
        assertEquals("dropped 47 more connection(s) within 1 s, not logged one by one: 47 without a handshake in time",
                lines.get(3));
    }
}
