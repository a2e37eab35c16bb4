package org.jparallel.core.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The blocking worker transport's connection ({@link BlockingSession}): a {@link SocketChannel} in
 * <em>non-blocking</em> mode, made to block by waiting on a {@link Selector} of its own for each direction.
 *
 * <p>Why a channel: a direct buffer (a result's copy) goes to the socket as it is, where a {@code Socket}'s
 * stream takes only arrays and the JDK copies every array written into a temporary direct buffer first (a
 * direct result went through two copies more: into an array, then into the JDK's buffer). Why
 * non-blocking: a channel in blocking mode is an interruptible channel, <em>closed</em> when a thread blocked
 * in (or entering) an operation on it is interrupted. Task threads write their own replies, and a task's
 * code may leave something behind that interrupts its thread later (a watchdog timer of its own); in
 * non-blocking mode no operation of the channel is interruptible, and an interrupt only wakes a writer
 * waiting for room, which clears it, waits again and restores it when its write is done. No interrupt
 * closes the connection, whenever it comes.
 *
 * <p>Reads are the reader thread's ({@link #input}), with the timeout of {@link #readTimeout}; writes
 * ({@link #write}) are serialized by the caller. {@link #close} may come from any thread and ends a
 * read or write under way.
 */
final class WorkerChannel {
    /**
     * The most bytes of a heap buffer written in one call: the JDK copies a heap buffer's remaining bytes
     * into a temporary direct buffer on every write (again after a partial one) and keeps that buffer for the
     * thread, so a big serialized result (a 64 MB double[]) would be copied over and over and pin as much
     * direct memory per task thread; a socket stream wrote 128 KB at a time.
     */
    static final int HEAP_SLICE = 256 * 1024;
    private final SocketChannel channel;
    private final Selector reads;
    /** Made when a write first finds the socket's buffer full; guarded by the caller's write lock. */
    private volatile Selector writes;
    private volatile boolean closed;
    /** Reader thread only. */
    private long readTimeoutNanos;
    /** The reader's stream: bytes as they arrive, waiting for at least one. */
    final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : WorkerChannel.this.read(ByteBuffer.wrap(b, off, len));
        }
    };

    /** An unconnected channel; {@link #close} ends a {@link #connect} under way. */
    WorkerChannel() throws IOException {
        channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            reads = Selector.open();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Connects, waiting at most {@code timeoutMillis}.
     *
     * @throws SocketTimeoutException when the time is up
     */
    void connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        if (address.isUnresolved()) { // the channel would throw an unchecked UnresolvedAddressException
            throw new UnknownHostException(address.getHostString() + ": no such host");
        }
        if (!channel.connect(address)) {
            SelectionKey key = channel.register(reads, SelectionKey.OP_CONNECT);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!channel.finishConnect()) {
                await(reads, deadline, "connect timed out after " + timeoutMillis + " ms");
            }
            key.interestOps(SelectionKey.OP_READ);
        } else {
            channel.register(reads, SelectionKey.OP_READ);
        }
    }

    /** @param millis how long a read waits for its first byte, 0 for ever */
    void readTimeout(int millis) {
        readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads what the socket has into {@code dst}, waiting for at least a byte; the reader thread's.
     *
     * @return how many bytes, -1 at the end of the stream
     * @throws SocketTimeoutException when nothing came within the {@link #readTimeout}
     */
    int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n != 0) {
            return n;
        }
        long deadline = readTimeoutNanos > 0 ? System.nanoTime() + readTimeoutNanos : 0;
        boolean interrupted = false;
        try {
            while (n == 0) {
                interrupted |= Thread.interrupted();
                await(reads, deadline, "Read timed out");
                n = channel.read(dst);
            }
            return n;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes all of {@code buffers[0, count)}, in order, waiting for room as long as it takes; from one
     * thread at a time (the caller's lock). An interrupt of the calling thread does not stop it; the
     * thread's interrupt status is as it was when it returns.
     */
    void write(ByteBuffer[] buffers, int count) throws IOException {
        boolean interrupted = false;
        try {
            int first = 0;
            while (true) {
                while (first < count && !buffers[first].hasRemaining()) {
                    first++;
                }
                if (first == count) {
                    return;
                }
                long n = writeSome(buffers, first, count);
                if (n == 0) {
                    interrupted |= Thread.interrupted(); // else the wait returns at once, every time
                    await(writeSelector(), 0, null);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One write of {@code buffers[first, count)}: gathered up to the first big heap buffer, which goes
     * alone, {@link #HEAP_SLICE} bytes at a time.
     */
    private long writeSome(ByteBuffer[] buffers, int first, int count) throws IOException {
        ByteBuffer b = buffers[first];
        if (!b.isDirect() && b.remaining() > HEAP_SLICE) {
            int limit = b.limit();
            b.limit(b.position() + HEAP_SLICE);
            try {
                return channel.write(b);
            } finally {
                b.limit(limit);
            }
        }
        int end = first + 1;
        while (end < count && (buffers[end].isDirect() || buffers[end].remaining() <= HEAP_SLICE)) {
            end++;
        }
        return end - first == 1 ? channel.write(b) : channel.write(buffers, first, end - first);
    }

    private Selector writeSelector() throws IOException {
        Selector s = writes;
        if (s == null) {
            s = Selector.open();
            try {
                channel.register(s, SelectionKey.OP_WRITE);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            writes = s;
            if (closed) {
                s.close();
            }
        }
        return s;
    }

    /**
     * Waits until {@code selector}'s one key is ready, or woken (then the caller tries again).
     *
     * @param deadline {@link System#nanoTime()} to wait until, 0 for no limit
     */
    private void await(Selector selector, long deadline, String timeoutMessage) throws IOException {
        try {
            long millis = 0;
            if (deadline != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException(timeoutMessage);
                }
                millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
            }
            selector.select(millis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException();
        }
        if (closed) {
            throw new AsynchronousCloseException();
        }
    }

    /** Closes the connection, from any thread; a read, write or connect under way ends with an exception. */
    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(reads);
        Selector w = writes;
        if (w != null) {
            closeQuietly(w);
        }
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close(); // wakes a thread waiting on it
        } catch (IOException e) {
            // closing anyway
        }
    }
}
