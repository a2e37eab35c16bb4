package org.jparallel.status;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import org.jparallel.JParallelException;
import org.jparallel.Manager;
import org.jparallel.core.status.StatusPageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's optional status page over HTTP: {@code GET /} the page ({@link StatusPage}), {@code
 * GET /status.json} a {@link StatusSnapshot}; anything else is 404. It runs on the event loop group
 * it is given (the manager's), so serving a page costs no thread of its own.
 *
 * <p>The page shows job data without asking for a password, so it listens on loopback unless told
 * otherwise. While bound to loopback it also answers only requests whose {@code Host} names loopback,
 * so a web page elsewhere cannot read it through DNS rebinding.
 */
public final class StatusServer implements StatusPageProvider.Running {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Channel channel;
    private final boolean loopbackOnly;

    private StatusServer(EventLoopGroup group, InetSocketAddress address, Supplier<StatusSnapshot> snapshots) {
        this.loopbackOnly = address.getAddress() != null && address.getAddress().isLoopbackAddress();
        ChannelHandler handler = new Handler(snapshots);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(60))
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpObjectAggregator(16 * 1024))
                                .addLast(handler);
                    }
                });
        try {
            channel = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new JParallelException("The status page cannot listen on " + address + ": " + e.getMessage()
                    + ". Choose another port (jparallel.manager.status-port, 0 for any free one).", e);
        }
    }

    /**
     * Starts the status page of a manager: registers a {@link StatusRecorder} with it and listens.
     *
     * @param manager the manager whose workers and counters are shown
     * @param group the event loop group to serve on
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @return the running server
     */
    public static StatusServer start(Manager manager, EventLoopGroup group, String bind, int port) {
        StatusRecorder recorder = new StatusRecorder();
        long started = System.currentTimeMillis();
        manager.addListener(recorder);
        StatusServer server = new StatusServer(group, new InetSocketAddress(bind, port), () -> {
            long now = System.currentTimeMillis();
            return StatusSnapshot.of(now, (now - started) / 1000, manager.workers(), manager.stats(), recorder,
                    manager.allocations());
        });
        InetSocketAddress a = server.address();
        LOG.info("status page on http://{}:{}/", a.getAddress().getHostAddress(), a.getPort());
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening; pages being served are cut off. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    private boolean hostAllowed(FullHttpRequest req) {
        if (!loopbackOnly) {
            return true;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        h = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
        return h.equals("localhost") || h.equals("[::1]") || h.startsWith("127.");
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<StatusSnapshot> snapshots;

        Handler(Supplier<StatusSnapshot> snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                send(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = new QueryStringDecoder(req.uri()).path();
            if (!hostAllowed(req)) {
                send(ctx, req, HttpResponseStatus.FORBIDDEN, TEXT,
                        "the status page answers only to localhost\n".getBytes(StandardCharsets.UTF_8));
            } else if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                send(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "GET only\n".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.equals("/index.html")) {
                send(ctx, req, HttpResponseStatus.OK, HTML, StatusPage.html());
            } else if (path.equals("/status.json")) {
                byte[] body;
                try {
                    body = snapshots.get().toJson();
                } catch (RuntimeException e) {
                    LOG.debug("status snapshot failed", e);
                    send(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                            ("no status: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(ctx, req, HttpResponseStatus.OK, JSON, body);
            } else {
                send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        }

        private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
                          byte[] body) {
            boolean head = req.method().equals(HttpMethod.HEAD);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                            + "style-src 'unsafe-inline'; connect-src 'self'");
            boolean keepAlive = HttpUtil.isKeepAlive(req) && status.code() < 400;
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("status page connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
