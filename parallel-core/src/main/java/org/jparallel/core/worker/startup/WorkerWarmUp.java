package org.jparallel.core.worker.startup;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.IntSupplier;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.slf4j.LoggerFactory;

/**
 * Does, on a thread of its own while the worker's main thread loads its logger and Netty and
 * connects, the one-time initialisations that the handshake and the first task would otherwise
 * wait for in a fresh JVM: reading the worker's nonce, computing a proof's HMAC (both without the
 * security providers: see {@code Secret.nonce}), reading the host name (the HELLO), setting up the socket
 * classes (their native libraries, the socket implementation, address parsing: the main thread then only
 * connects; no connection is made here) and bootstrapping the
 * deserialization of serializable lambdas (the first task: {@code SerializedLambda},
 * {@code LambdaMetafactory.altMetafactory}). On an idle core this takes them off the path to the
 * first result; when every core is busy it costs nothing extra, since the work is needed anyway.
 * A failure here is only logged: the same work is done again where it is needed.
 */
public final class WorkerWarmUp {
    /** A secret for the warm-up's HMAC, never used to authenticate anything. */
    private static final String WARM_UP_SECRET = "d2FybS11cCBvbmx5LCBub3QgYSByZWFsIHNlY3JldCE";

    private WorkerWarmUp() {
    }

    /**
     * Starts the warm-up on a daemon thread.
     *
     * @return the thread
     */
    public static Thread start() {
        // a class, not a method reference: the JVM's first lambda bootstraps the method-handle machinery
        // (milliseconds), and the main thread would wait for it
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                WorkerWarmUp.run();
            }
        }, "jparallel-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void run() {
        try {
            runSteps();
        } catch (Throwable e) {
            LoggerFactory.getLogger(WorkerWarmUp.class).debug("worker warm-up failed (harmless): {}", e.toString());
        }
    }

    /**
     * Sets up what the blocking transport's connect uses (InetAddress and a literal address's parsing, a
     * non-blocking socket channel with the worker's options, registered with a selector: {@code
     * WorkerChannel}), on an unconnected channel that is closed at once.
     */
    private static void socketClasses() throws IOException {
        new InetSocketAddress("127.0.0.1", 1);
        try (SocketChannel c = SocketChannel.open(); Selector s = Selector.open()) {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            c.register(s, SelectionKey.OP_READ);
            s.selectNow();
        }
    }

    /**
     * Runs every step on the calling thread, in the order the worker needs them.
     *
     * @throws Exception when a step fails
     */
    public static void runSteps() throws Exception {
        HostName.get();
        // not Secret.generate(): its SecureRandom would set up the security providers, which a worker never needs
        Secret secret = Secret.fromText(WARM_UP_SECRET);
        secret.workerMac(Secret.nonce(), Secret.nonce(), 0);
        socketClasses();
        IntSupplier task = (IntSupplier & Serializable) () -> 1;
        Object copy = Payloads.deserialize(Payloads.serialize(task), WorkerWarmUp.class.getClassLoader());
        if (((IntSupplier) copy).getAsInt() != 1) {
            throw new IllegalStateException("the warm-up lambda came back changed");
        }
    }
}
