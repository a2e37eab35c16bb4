package org.jparallel.core.serial;

import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;

/**
 * Where big task payloads get their memory outside the Java heap, as buffers that can be released early
 * ({@link CleanableDirectBuffer#clean}) but that the garbage collector frees too when they are not: the
 * manager releases a payload once its only send was answered, and leaves a payload sent more than once
 * to the collector (an earlier write of it may still be queued).
 *
 * <p>Releasing early takes Netty's cleaner, which works only where Netty uses {@code sun.misc.Unsafe}
 * (Java 17 by default; Netty leaves Unsafe alone from Java 24 on, and Java 25 refuses to free a buffer
 * that it did not make itself: "Cannot clean arbitrary ByteBuffer instances"). Elsewhere the buffer is a
 * plain {@code ByteBuffer.allocateDirect} one, which {@code clean} leaves to the collector, as Netty
 * itself does for its own buffers on Java 25. Netty's other kinds of buffers (its own malloc'ed ones, or
 * those of a shared arena) are never used: the collector cannot free them.
 */
public final class DirectMemory {
    /** True when Netty's buffers are the JDK's direct buffers, freed early through Unsafe's cleaner. */
    private static final boolean CLEANS_EARLY =
            PlatformDependent.hasUnsafe() && !PlatformDependent.useDirectBufferNoCleaner();

    private DirectMemory() {
    }

    /**
     * @return a direct buffer of {@code bytes} bytes, position 0, limit {@code bytes}; or null when the
     *     direct memory limit ({@code -XX:MaxDirectMemorySize}) leaves no room for it
     */
    public static CleanableDirectBuffer allocate(int bytes) {
        try {
            return CLEANS_EARLY ? PlatformDependent.allocateDirect(bytes)
                    : new CollectedBuffer(ByteBuffer.allocateDirect(bytes));
        } catch (OutOfMemoryError e) {
            return null;
        }
    }

    /** A direct buffer that only the garbage collector frees. */
    private static final class CollectedBuffer implements CleanableDirectBuffer {
        private final ByteBuffer buffer;

        CollectedBuffer(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void clean() {
            // the collector frees it once it is unreachable
        }
    }
}
