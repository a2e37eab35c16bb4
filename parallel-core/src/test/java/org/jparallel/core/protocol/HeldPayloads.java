package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Held payloads for tests outside this package, which cannot make one themselves. */
public final class HeldPayloads {
    private HeldPayloads() {
    }

    /** @return a payload held outside the heap, holding {@code bytes} */
    public static HeldPayload of(byte[] bytes) {
        HeldPayload p = HeldPayload.allocate(bytes.length, new ByteBudget(Long.MAX_VALUE));
        p.buffer().put(0, bytes);
        return p;
    }

    /**
     * @return a payload held as the decoder holds one that arrived whole: a retained slice of {@code read}, its
     *     readable bytes (no pin counted), released when the payload is taken or freed
     */
    public static HeldPayload sliceOf(ByteBuf read) {
        return HeldPayload.slices(List.of(read.retainedSlice()), null);
    }
}
