package org.jparallel.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits jparallel is measured against, in the same run: the same trivial tasks on an in-process
 * thread pool (no network, no serialization), and a raw Netty ping-pong between two event loops on
 * loopback with the same message sizes (the network and framing alone), and the JVM's own floor: a
 * hello world started the way the manager starts a local worker.
 */
final class Limits {
    private Limits() {
    }

    /**
     * @param runs how many hello worlds to start, one after the other
     * @return the median milliseconds from starting {@link Hello} to its exit, run by the java, with the
     *     classpath, that local workers get by default (the manager's), its output discarded
     */
    static double jvmFloorMs(int runs) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    Hello.class.getName()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            long start = System.nanoTime();
            int code = pb.start().waitFor();
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (code != 0) {
                throw new IllegalStateException("the hello world JVM exited with " + code);
            }
        }
        return Stats.median(ms);
    }

    /** @return tasks per second of trivial tasks on a pool of {@code threads} threads */
    static double threadPool(int threads, int tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> fs = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                int k = i;
                fs.add(pool.submit(() -> k));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
            return tasks / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Messages from this size on are measured by {@link BulkPingPong}, smaller ones by Netty's length-field codec. */
    static final int BULK_FROM = 4096;

    /**
     * The ping-pong limit, measured in a JVM of its own ({@link LimitProbe}): the same state at the start
     * and the end of a run, whatever this JVM's JIT and heap went through in between.
     *
     * @param connections parallel connections (one per worker)
     * @param size message size in bytes, each way
     * @param inFlight messages in flight per connection
     * @param seconds how long to run, after as long unmeasured (at least a second)
     * @return round trips per second over all connections
     */
    static double pingPong(int connections, int size, int inFlight, double seconds) throws Exception {
        return LimitProbe.forked(connections, size, inFlight, seconds, "1g");
    }

    /**
     * The median of {@code jvms} ping-pongs, each in a JVM of its own: one JVM's rate depends on where the
     * scheduler put its two event loops (on this 2-core VM one 64 B pipelined ping-pong gave 630k round trips/s
     * and the next, idle, 765k), so a limit compared across a run is taken from several.
     *
     * @return round trips per second over all connections, the median over the JVMs
     */
    static double pingPongMedian(int jvms, int connections, int size, int inFlight, double seconds) throws Exception {
        double[] rates = new double[jvms];
        for (int i = 0; i < jvms; i++) {
            rates[i] = pingPong(connections, size, inFlight, seconds);
        }
        return Stats.median(rates);
    }

    /**
     * The ping-pong in this JVM: {@link BulkPingPong} from {@link #BULK_FROM} bytes on (with {@code
     * -Dbench.legacyPingPong=true}, the codec's ping-pong at every size, as measured before 2026-12-06), else
     * Netty's length-field codec.
     *
     * @return round trips per second over all connections
     */
    static double pingPongHere(int connections, int size, int inFlight, double seconds) throws Exception {
        if (size >= BULK_FROM && !Boolean.getBoolean("bench.legacyPingPong")) {
            return BulkPingPong.run(connections, size, inFlight, seconds);
        }
        return codecPingPong(connections, size, inFlight, seconds);
    }

    private static double codecPingPong(int connections, int size, int inFlight, double seconds) throws Exception {
        EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup client = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicLong trips = new AtomicLong();
        try {
            Channel sc = new ServerBootstrap().group(server).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 30, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4), new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                            ctx.write(msg.retain());
                                        }

                                        @Override
                                        public void channelReadComplete(ChannelHandlerContext ctx) {
                                            ctx.flush();
                                        }
                                    });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) sc.localAddress()).getPort();
            byte[] payload = new byte[size];
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            CountDownLatch done = new CountDownLatch(connections);
            for (int c = 0; c < connections; c++) {
                new Bootstrap().group(client).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 30, 0, 4, 0, 4),
                                        new LengthFieldPrepender(4), new SimpleChannelInboundHandler<ByteBuf>() {
                                            private boolean over;

                                            @Override
                                            public void channelActive(ChannelHandlerContext ctx) {
                                                for (int i = 0; i < inFlight; i++) {
                                                    ctx.write(Unpooled.wrappedBuffer(payload));
                                                }
                                                ctx.flush();
                                            }

                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                                trips.incrementAndGet();
                                                if (System.nanoTime() < deadline) {
                                                    ctx.write(Unpooled.wrappedBuffer(payload));
                                                } else if (!over) {
                                                    over = true;
                                                    done.countDown();
                                                }
                                            }

                                            @Override
                                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                                ctx.flush();
                                            }
                                        });
                            }
                        }).connect("127.0.0.1", port).sync();
            }
            long start = System.nanoTime();
            done.await((long) (seconds * 1000) + 30_000, TimeUnit.MILLISECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            sc.close().sync();
            return trips.get() / Math.max(elapsed, seconds);
        } finally {
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
