package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The part of a big {@code byte[]} result not yet copied into the buffer that carries it ({@link
 * Message.BufferedResult#pending()}): the worker's blocking transport copies it a chunk at a time while
 * the socket takes what is copied, so that the copy (1-2.5 ms for 16 MB) no longer delays the result's
 * first byte, and a chunk is copied while the socket is full rather than before any byte goes out. Only a
 * writer that finishes the copy before its thread runs the next task may be given one (the task's array
 * must not change before it is copied); the writer's thread only, no locking.
 */
public final class PendingCopy {
    private final byte[] source;
    private final ByteBuf target;
    private final int at;
    private int copied;

    /**
     * @param source the result's array
     * @param target the buffer its bytes go into, from index {@code at} on
     */
    public PendingCopy(byte[] source, ByteBuf target, int at) {
        this.source = source;
        this.target = target;
        this.at = at;
    }

    /** @return how many of the array's bytes are still to be copied */
    public int remaining() {
        return source.length - copied;
    }

    /** Copies the next {@code max} bytes at most (fewer at the end). */
    public void copyNext(int max) {
        int n = Math.min(max, source.length - copied);
        target.setBytes(at + copied, source, copied, n);
        copied += n;
    }

    /** Copies all that is left. */
    public void copyAll() {
        copyNext(remaining());
    }
}
