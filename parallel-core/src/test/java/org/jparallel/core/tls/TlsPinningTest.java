package org.jparallel.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The manager's per-run certificate, and a worker's pin on it, over a real loopback TLS handshake. */
class TlsPinningTest {

    @Test
    void eachRunHasAFreshCertificateAndFingerprint() {
        ManagerIdentity a = ManagerIdentity.selfSigned();
        ManagerIdentity b = ManagerIdentity.selfSigned();
        assertEquals(64, a.fingerprint().length());
        assertNotEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.fingerprint(), Fingerprint.of(a.certificate()));
        assertEquals(a.fingerprint(), Fingerprint.parse(a.fingerprint().toUpperCase().replaceAll("(..)(?!$)", "$1:")));
    }

    @Test
    void thePinAcceptsItsCertificateAndRefusesAnotherWithAClearMessage() throws Exception {
        ManagerIdentity mine = ManagerIdentity.selfSigned();
        ManagerIdentity other = ManagerIdentity.selfSigned();
        PinnedTrustManager tm = new PinnedTrustManager(mine.fingerprint());
        tm.checkServerTrusted(new X509Certificate[] {mine.certificate()}, "EC");
        CertificateException e = assertThrows(CertificateException.class,
                () -> tm.checkServerTrusted(new X509Certificate[] {other.certificate()}, "EC"));
        assertTrue(e.getMessage().contains(mine.fingerprint()) && e.getMessage().contains(other.fingerprint()),
                e.getMessage());
    }

    @Test
    void aRealHandshakeSucceedsWithThePinAndFailsWithAnother() throws Exception {
        ManagerIdentity identity = ManagerIdentity.selfSigned();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(identity.serverContext().newHandler(ch.alloc()));
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            assertTrue(handshake(group, port, identity.fingerprint()).isSuccess(), "the pinned certificate is accepted");
            Future<Channel> refused = handshake(group, port, ManagerIdentity.selfSigned().fingerprint());
            assertTrue(!refused.isSuccess(), "another certificate is refused");
            String chain = "";
            for (Throwable t = refused.cause(); t != null; t = t.getCause()) {
                chain += t + " <- ";
            }
            assertTrue(chain.contains("is not the manager certificate this worker was given"), chain);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Future<Channel> handshake(EventLoopGroup group, int port, String pin) throws Exception {
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(TlsContexts.client(pin).newHandler(c.alloc(), "127.0.0.1", port));
                    }
                }).connect("127.0.0.1", port).sync().channel();
        Future<Channel> f = ch.pipeline().get(SslHandler.class).handshakeFuture().await();
        ch.close().sync();
        return f;
    }
}
