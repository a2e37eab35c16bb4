package org.jparallel.core.protocol;

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
}
