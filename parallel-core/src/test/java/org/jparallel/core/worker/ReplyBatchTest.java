package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

/** When held replies go out; no threads, the clock is passed in. */
class ReplyBatchTest {
    private final List<List<Message>> sent = new ArrayList<>();
    private final ReplyBatch batch = new ReplyBatch(sent::add);

    private static Message reply(long id) {
        return new Message.Release((int) id); // any message: the batch does not look inside
    }

    @Test
    void theResultOfASmallTaskWaitsForMore() {
        batch.add(reply(1), 1_000, 0);
        batch.add(reply(2), 1_000, 10_000);
        assertTrue(sent.isEmpty());
        batch.sendAll();
        assertEquals(List.of(List.of(reply(1), reply(2))), sent);
    }

    /**
     * A fresh worker runs its first trivial tasks in the interpreter, at 30-100 us each: their results
     * went out one write each (1,700-2,100 writes for the first 20,000 tasks, measured), each write a
     * wake-up of the manager's loop. Tasks of that length now batch too: here the results of the
     * first {@link ReplyBatch#HOLD_NANOS} (250 us) go in one write.
     */
    @Test
    void resultsOfTasksTheInterpreterRunsGoOutTogether() {
        for (int i = 0; i < 20; i++) {
            batch.add(reply(i), 25_000, 25_000L * (i + 1));
        }
        assertEquals(1, sent.size(), "one batch sent, the rest still held");
        assertEquals(11, sent.get(0).size(), "the results of 250 us in the batch");
    }

    @Test
    void theResultOfALongerTaskGoesAtOnceWithThoseHeldBeforeIt() {
        batch.add(reply(1), 1_000, 0);
        batch.add(reply(2), ReplyBatch.SMALL_TASK_NANOS, 50_000);
        assertEquals(List.of(List.of(reply(1), reply(2))), sent);
    }

    @Test
    void aBatchGoesWhenItsFirstResultIsOldEnoughOrItIsFull() {
        batch.add(reply(1), 1, 0);
        batch.add(reply(2), 1, ReplyBatch.HOLD_NANOS);
        assertEquals(1, sent.size(), "old enough");
        for (int i = 0; i < ReplyBatch.HOLD_MAX; i++) {
            batch.add(reply(10 + i), 1, ReplyBatch.HOLD_NANOS + i);
        }
        assertEquals(2, sent.size(), "full");
        assertEquals(ReplyBatch.HOLD_MAX, sent.get(1).size());
    }

    @Test
    void theNetworkThreadSendsRepliesThatWaitedTooLongAndOnlyThose() {
        batch.add(reply(1), 1, 1_000);
        assertFalse(batch.sendIfOlderThan(5_000, 3_000), "not yet");
        assertTrue(sent.isEmpty());
        assertTrue(batch.sendIfOlderThan(5_000, 7_000));
        assertEquals(List.of(List.of(reply(1))), sent);
        assertFalse(batch.sendIfOlderThan(0, 8_000), "sent once");
        batch.sendAll();
        assertEquals(1, sent.size());
    }
}
