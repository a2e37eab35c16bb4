package org.jparallel.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.core.loop.EventLoops;
import org.jparallel.core.protocol.HeartbeatSender;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/**
 * Many workers in this JVM, each a real protocol client (handshake, heartbeats) that answers every
 * task at once with a fixed result without running it: a load on the manager's dispatcher and
 * network code alone, for the "1,000 workers on one manager" figure.
 */
final class SimulatedWorkers implements WorkerGroup {
    private static final byte[] RESULT = Payloads.serialize(0);
    private static final MessageEncoder ENCODER = new MessageEncoder();
    private final int count;
    /** The lifetime each worker reports in its HELLO, in milliseconds; -1 for none. */
    private final long lifetimeMillis;

    SimulatedWorkers(int count) {
        this(count, -1);
    }

    SimulatedWorkers(int count, long lifetimeMillis) {
        this.count = count;
        this.lifetimeMillis = lifetimeMillis;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String backendName() {
        return "simulated";
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        Secret secret = Secret.fromText(spec.secretText());
        EventLoopGroup group = EventLoops.nio(1, new io.netty.util.concurrent.DefaultThreadFactory("simulated-workers", true));
        List<WorkerHandle> handles = new ArrayList<>();
        // the group ends when its last worker stops: shut down with the first, it left the others' sockets open
        // (6,000 of them after the benchmark's rounds, which slowed every JVM it started after them)
        AtomicInteger open = new AtomicInteger(spec.workerIds().size());
        try {
            for (int id : spec.workerIds()) {
                Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(new MessageDecoder(), ENCODER, new Client(secret, id, lifetimeMillis));
                            }
                        }).connect("127.0.0.1", spec.port()).sync().channel();
                handles.add(new Handle(id, ch, group, open, new AtomicBoolean()));
            }
        } catch (Exception | Error e) { // a worker that could not connect: the others' sockets and the group go too
            try {
                for (WorkerHandle h : handles) {
                    h.stop();
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw e;
        }
        return handles;
    }

    /** The worker side of the protocol, answering tasks with a constant. */
    private static final class Client extends SimpleChannelInboundHandler<Message> {
        private final Secret secret;
        private final int id;
        private final byte[] nonce = Secret.nonce();
        private final long lifetimeMillis;

        Client(Secret secret, int id, long lifetimeMillis) {
            this.secret = secret;
            this.id = id;
            this.lifetimeMillis = lifetimeMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new Message.Hello(MessageEncoder.VERSION, id, ProcessHandle.current().pid(), "sim",
                    "sim", nonce, lifetimeMillis));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message m) {
            switch (m.type()) {
                case CHALLENGE -> ctx.writeAndFlush(new Message.Proof(
                        secret.workerMac(nonce, ((Message.Challenge) m).nonce(), id)));
                case WELCOME -> {
                    ctx.pipeline().get(MessageDecoder.class).authenticated(1 << 30);
                    HeartbeatSender.start(ctx, ((Message.Welcome) m).heartbeatMillis());
                }
                case TASK -> ctx.write(new Message.Result(((Message.Task) m).taskId(), RESULT));
                case SHUTDOWN -> ctx.close(); // as a real worker leaves
                default -> {
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

    }

    /** A simulated worker's handle: running while its channel is open. */
    private record Handle(int workerId, Channel channel, EventLoopGroup group, AtomicInteger open, AtomicBoolean stopped)
            implements WorkerHandle {
        @Override
        public String description() {
            return "simulated worker " + workerId;
        }

        @Override
        public WorkerStatus status() {
            return channel.isOpen() ? WorkerStatus.running() : WorkerStatus.exited(0);
        }

        @Override
        public String outputTail(int maxLines) {
            return "";
        }

        @Override
        public String logLocation() {
            return null;
        }

        @Override
        public void stop() {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            if (stopped.compareAndSet(false, true) && open.decrementAndGet() == 0) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }
}
