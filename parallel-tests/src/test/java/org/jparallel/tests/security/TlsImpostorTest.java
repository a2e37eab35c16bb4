package org.jparallel.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.tls.ManagerIdentity;
import org.jparallel.core.tls.TlsContexts;
import org.jparallel.core.worker.WorkerMain;
import org.jparallel.core.worker.WorkerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker JVM pinned to one certificate meets a TLS server that presents another (an impostor
 * on the manager's address): it must not retry until its connect timeout, but exit at once with code
 * 3 and a message naming the fingerprint it expected and the one it was shown.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsImpostorTest {
    /** Far longer than the test may run: a worker that retries until it gives up fails the test by timeout. */
    private static final String CONNECT_TIMEOUT_SECONDS = "600";

    @TempDir
    Path tempDir;

    @Test
    void aWorkerFacingAnotherCertificateExitsWithCode3NamingBothFingerprints() throws Exception {
        ManagerIdentity ours = ManagerIdentity.selfSigned();
        ManagerIdentity impostor = ManagerIdentity.selfSigned();
        assertNotEquals(ours.fingerprint(), impostor.fingerprint());
        SslContext serverTls = TlsContexts.server(impostor.key(), impostor.certificate());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close(); // the worker's refusal (certificate_unknown) is expected
                                }
                            });
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Path secretFile = tempDir.resolve("secret");
            Files.writeString(secretFile, Secret.generate().text() + WorkerOptions.FINGERPRINT_SEPARATOR
                    + ours.fingerprint(), StandardCharsets.US_ASCII);
            Path output = tempDir.resolve("worker.output");
            Process worker = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                    "--connect", "127.0.0.1:" + port, "--secret-file", secretFile.toString(),
                    "--connect-timeout", CONNECT_TIMEOUT_SECONDS))
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(new File("/dev/null")).start();
            try {
                int code = worker.waitFor();
                String out = Files.readString(output);
                assertEquals(3, code, "exit code of a worker refused by an impostor; its output:\n" + out);
                assertTrue(out.contains(ours.fingerprint()), "the expected fingerprint is named:\n" + out);
                assertTrue(out.contains(impostor.fingerprint()), "the presented fingerprint is named:\n" + out);
                assertTrue(!out.contains("could not reach the manager"), "not reported as unreachable:\n" + out);
            } finally {
                worker.destroyForcibly();
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
