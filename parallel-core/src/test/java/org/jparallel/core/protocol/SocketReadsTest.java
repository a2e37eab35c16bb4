package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class SocketReadsTest {
    /** @return the read size {@code ch}'s reads settle at when every read comes full */
    private static int guessAfterFullReads(EmbeddedChannel ch) {
        RecvByteBufAllocator.Handle h = ch.config().getRecvByteBufAllocator().newHandle();
        for (int i = 0; i < 100; i++) {
            h.reset(ch.config());
            h.attemptedBytesRead(h.guess());
            h.lastBytesRead(h.guess());
            h.readComplete();
        }
        return h.guess();
    }

    @Test
    void beforeAuthenticationAReadTakesAtMost64KiB() {
        EmbeddedChannel ch = new EmbeddedChannel();
        assertEquals(64 * 1024, guessAfterFullReads(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void onceAuthenticatedReadsGrowTo1MiBWhileTheyComeFull() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SocketReads.authenticated(ch);
        assertEquals(SocketReads.AUTHENTICATED_MAX, guessAfterFullReads(ch));
        ch.finishAndReleaseAll();
    }
}
