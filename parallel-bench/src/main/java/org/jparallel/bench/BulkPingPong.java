package org.jparallel.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Netty ping-pong for payload-sized messages, made a floor: the limit of the network and framing
 * alone, with no copy of a payload in the JVM. The client sends each message from one direct buffer
 * made once (a duplicate per send); the echo side gathers a frame's bytes as they arrive, as slices of
 * the buffers they were read into (no cumulation, which copied a big frame over and over as it grew:
 * a 64 MB ping-pong took 3.5 s, five times jparallel's own round trip), and writes them back as one
 * composite buffer; the client counts the echoed bytes and drops them. What remains is the kernel's
 * copies, the system calls and the event loops: what any message of this size costs on this machine.
 *
 * <p>Tiny messages are measured by {@link Limits#pingPong} with Netty's length-field codec instead: there
 * a composite per frame would be the cost measured.
 */
final class BulkPingPong {
    /** The largest socket read, in bytes (Netty's default, which jparallel's channels use too). */
    static final int MAX_READ = Integer.getInteger("bench.maxRead", 64 * 1024);

    private BulkPingPong() {
    }

    /**
     * @param connections parallel connections (one per worker)
     * @param size message size in bytes, each way (the 4-byte length not counted)
     * @param inFlight messages in flight per connection
     * @param seconds how long to run
     * @return round trips per second over all connections
     */
    static double run(int connections, int size, int inFlight, double seconds) throws Exception {
        EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup client = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicLong trips = new AtomicLong();
        ByteBuf frame = Unpooled.directBuffer(4 + size).writeInt(size).writeZero(size);
        AdaptiveRecvByteBufAllocator reads = new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ);
        try {
            Channel sc = new ServerBootstrap().group(server).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.RCVBUF_ALLOCATOR, reads)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Echo());
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) sc.localAddress()).getPort();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            CountDownLatch done = new CountDownLatch(connections);
            for (int c = 0; c < connections; c++) {
                new Bootstrap().group(client).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, reads)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new Sender(frame, inFlight, deadline, trips, done));
                            }
                        }).connect("127.0.0.1", port).sync();
            }
            long start = System.nanoTime();
            done.await((long) (seconds * 1000) + 60_000, TimeUnit.MILLISECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            sc.close().sync();
            return trips.get() / Math.max(elapsed, seconds);
        } finally {
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            frame.release();
        }
    }

    /** Reads frame lengths as their bytes arrive, possibly split between reads. */
    private abstract static class Frames extends ChannelInboundHandlerAdapter {
        private int lengthBytes;
        private int length;
        private int remaining = -1;

        @Override
        public final void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable()) {
                    if (remaining < 0) {
                        while (lengthBytes < 4 && in.isReadable()) {
                            length = length << 8 | in.readUnsignedByte();
                            lengthBytes++;
                        }
                        if (lengthBytes < 4) {
                            return;
                        }
                        remaining = length;
                        started(ctx, length);
                    }
                    int n = Math.min(remaining, in.readableBytes());
                    body(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        remaining = -1;
                        lengthBytes = 0;
                        length = 0;
                        ended(ctx);
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public final void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** A frame of {@code length} body bytes starts. */
        abstract void started(ChannelHandlerContext ctx, int length);

        /** The next {@code n} bytes of {@code in} are the frame's. */
        abstract void body(ByteBuf in, int n);

        /** The frame is complete. */
        abstract void ended(ChannelHandlerContext ctx);
    }

    /** Writes each frame back as it came, its bytes never copied. */
    static final class Echo extends Frames {
        private CompositeByteBuf frame;

        @Override
        void started(ChannelHandlerContext ctx, int length) {
            frame = ctx.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
            frame.addComponent(true, ctx.alloc().directBuffer(4).writeInt(length));
        }

        @Override
        void body(ByteBuf in, int n) {
            frame.addComponent(true, in.readRetainedSlice(n));
        }

        @Override
        void ended(ChannelHandlerContext ctx) {
            ctx.write(frame, ctx.voidPromise());
            frame = null;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (frame != null) {
                frame.release();
            }
        }
    }

    /** Sends the same frame, counts the echoes, and sends again until the deadline. */
    private static final class Sender extends Frames {
        private final ByteBuf frame;
        private final int inFlight;
        private final long deadline;
        private final AtomicLong trips;
        private final CountDownLatch done;
        private boolean over;

        Sender(ByteBuf frame, int inFlight, long deadline, AtomicLong trips, CountDownLatch done) {
            this.frame = frame;
            this.inFlight = inFlight;
            this.deadline = deadline;
            this.trips = trips;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            for (int i = 0; i < inFlight; i++) {
                ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
            }
            ctx.flush();
        }

        @Override
        void started(ChannelHandlerContext ctx, int length) {
            // nothing kept: the echo is counted, not read
        }

        @Override
        void body(ByteBuf in, int n) {
            in.skipBytes(n);
        }

        @Override
        void ended(ChannelHandlerContext ctx) {
            trips.incrementAndGet();
            if (System.nanoTime() < deadline) {
                ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
            } else if (!over) {
                over = true;
                done.countDown();
            }
        }
    }
}
