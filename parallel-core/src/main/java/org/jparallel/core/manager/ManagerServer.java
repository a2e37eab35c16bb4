package org.jparallel.core.manager;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.JParallelException;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;

/**
 * The manager's listening socket. Every connection starts with a handshake-only pipeline (behind a
 * TLS handler when TLS is on); the channels run on the dispatcher's own single event loop, so
 * messages reach the dispatcher with no hand-off between threads.
 */
final class ManagerServer implements AutoCloseable {
    private static final MessageEncoder ENCODER = new MessageEncoder();
    private final Channel serverChannel;
    private final ConnectionDropLog drops = new ConnectionDropLog();
    private final ScheduledFuture<?> dropSummaries;
    private final CloseSteps closing = new CloseSteps(3);

    /**
     * @param tls the TLS context, or {@code null} for plain TCP
     */
    ManagerServer(ManagerSettings settings, Secret secret, SslContext tls, EventLoopGroup loop, Dispatcher dispatcher) {
        AtomicInteger pending = new AtomicInteger();
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    public boolean isSharable() { // as ChannelInitializer's annotation says, without Netty reading it
                        return true;
                    }

                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("decoder", new MessageDecoder());
                        ch.pipeline().addLast("encoder", ENCODER);
                        ch.pipeline().addLast("handshake", new ManagerHandshakeHandler(secret, settings, dispatcher, pending,
                                drops));
                    }
                });
        InetSocketAddress address = settings.bindAddress() == null
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        try {
            serverChannel = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new JParallelException("The manager cannot listen on " + address + ": " + e.getMessage()
                    + ". Choose another port (jparallel.manager.port, 0 for any free one) or bind address.", e);
        }
        // the summary of dropped connections comes out when its interval is over, even when no drop follows
        dropSummaries = loop.next().scheduleAtFixedRate(drops::flushIfDue, ConnectionDropLog.INTERVAL_MILLIS,
                ConnectionDropLog.INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        closing.run(() -> dropSummaries.cancel(false), () -> serverChannel.close().awaitUninterruptibly(), drops::flush);
    }
}
