package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which failures {@code taskRetries} tries again: not a result that cannot be sent (not serializable, or over the
 * frame limit), for the same result would fail the same way. Driven on the test thread with fake links.
 */
class DispatcherRetryTest extends DispatcherRig {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {RemoteTaskException.RESULT_NOT_SERIALIZABLE, RemoteTaskException.RESULT_TOO_LARGE})
    void aResultThatCannotBeSentFailsItsTaskAtOnceDespiteTaskRetries(String remoteClass) {
        start(Manager.builder().prefetch(1).taskRetries(2).settings(), 1);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(0);
        RemoteTaskException error = new RemoteTaskException(remoteClass, "its result cannot be sent",
                new StackTraceElement[0], null);
        dispatcher.onFailure(1, t.id(), error);
        FakeCompletion c = (FakeCompletion) t.completion;
        assertNotNull(c.failure, "failed at once");
        assertSame(error, c.failure.getCause());
        assertEquals(1, c.failure.getAttempts().size());
        assertEquals(List.of(t.id()), w1.tasksSent(), "not sent again");
    }
}
