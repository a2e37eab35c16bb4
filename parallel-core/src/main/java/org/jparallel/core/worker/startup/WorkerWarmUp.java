package org.jparallel.core.worker.startup;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Base64;
import java.util.function.IntSupplier;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;

/**
 * Does, on a thread of its own while the worker's main thread reads its options and
 * connects, the one-time initialisations that the handshake and the first task would otherwise
 * wait for in a fresh JVM, in the order they are needed: setting up the socket
 * classes (their native libraries, the socket implementation, address parsing: the main thread then only
 * connects; no connection is made here; in JDK 17 the selector provider's holder makes the JVM's first lambda,
 * whose bootstrap of the method-handle machinery takes milliseconds, so it comes first and the worker starts this
 * thread first), reading the host name (the HELLO), reading the worker's nonce and computing a proof's HMAC (both
 * without the security providers: see {@code Secret.nonce}) and bootstrapping the
 * deserialization of serializable lambdas (the first task: {@code SerializedLambda},
 * {@code LambdaMetafactory.altMetafactory}). On an idle core this takes them off the path to the
 * first result; when every core is busy it costs nothing extra, since the work is needed anyway.
 * Each step runs on its own: one that fails is only logged (the same work is done again where it is
 * needed) and the later steps still run.
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

    /** The warm-up's steps, by number, in the order the worker needs them; each may fail without the others. */
    interface Steps {
        /** @return how many steps there are */
        int count();

        /**
         * @param step the step's number, from 0
         * @throws Exception when the step fails
         */
        void run(int step) throws Exception;
    }

    /** The worker's steps: a class, not lambdas (see {@link #start}). */
    private static final Steps STEPS = new Steps() {
        @Override
        public int count() {
            return 4;
        }

        @Override
        public void run(int step) throws Exception {
            switch (step) {
                case 0 -> socketClasses();
                case 1 -> HostName.get();
                case 2 -> handshakeMac();
                case 3 -> lambdaDeserialization();
                default -> throw new IllegalArgumentException("no warm-up step " + step);
            }
        }
    };

    private static void run() {
        Throwable failed = runEach(STEPS);
        if (failed != null) {
            WorkerLogs.logger(WorkerWarmUp.class).debug("worker warm-up failed (harmless): {}", failed.toString());
            for (Throwable more : failed.getSuppressed()) {
                WorkerLogs.logger(WorkerWarmUp.class).debug("worker warm-up failed (harmless): {}", more.toString());
            }
        }
    }

    /**
     * Runs every step, each on its own: a step that fails does not keep the later ones from running.
     *
     * @return the first step's failure, with the later ones' suppressed in it, or {@code null} when none failed
     */
    static Throwable runEach(Steps steps) {
        Throwable first = null;
        for (int i = 0; i < steps.count(); i++) {
            try {
                steps.run(i);
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }

    /** Computes a handshake proof's HMAC, with nonces read as the worker reads them. */
    private static void handshakeMac() {
        // a fixed secret: the warm-up needs no fresh one
        Secret secret = Secret.fromText(WARM_UP_SECRET);
        secret.workerMac(Secret.nonce(), Secret.nonce(), 0);
    }

    /**
     * Bootstraps the deserialization of a serializable lambda, as the first task's: reads {@link #LAMBDA_PAYLOAD}
     * (the reading side only: a worker's first result needs no lambda written, and the writing side, the
     * lambda's {@code writeReplace} through a method handle whose adapters are spun at run time and the payload
     * writer, was milliseconds of CPU beside the first task).
     */
    private static void lambdaDeserialization() throws Exception {
        Object copy = Payloads.deserialize(Base64.getDecoder().decode(LAMBDA_PAYLOAD), WorkerWarmUp.class.getClassLoader());
        if (((IntSupplier) copy).getAsInt() != 1) {
            throw new IllegalStateException("the warm-up lambda came back changed");
        }
    }

    /**
     * {@link #lambda()} as {@code Payloads.serialize} writes it, in Base64: {@code WorkerWarmUpLambdaTest} checks
     * that it still is (a payload format or a lambda changed: replace it with what the test prints); a stale one
     * only makes the warm-up's last step fail, which is logged at debug.
     */
    static final String LAMBDA_PAYLOAD = "EkuecrQAAACfBgAub3JnL2pwYXJhbGxlbC9jb3JlL3dvcmtlci9zdGFydHVwL1dvcmtlcldhcm1VcAAe"
            + "amF2YS91dGlsL2Z1bmN0aW9uL0ludFN1cHBsaWVyAAhnZXRBc0ludAADKClJAC5vcmcvanBhcmFsbGVs"
            + "L2NvcmUvd29ya2VyL3N0YXJ0dXAvV29ya2VyV2FybVVwAANvbmUAAygpSQADKClJAAA";

    /**
     * @return the lambda whose payload the warm-up reads (its $deserializeLambda$ case is compiled from here): a
     *     method reference, whose implementation is {@link #one} under any compiler, where a lambda expression's
     *     is a synthetic method named as the compiler likes (and the payload names it)
     */
    static IntSupplier lambda() {
        return (IntSupplier & Serializable) WorkerWarmUp::one;
    }

    /** @return 1: what the warm-up's lambda returns (not private: a compiler may route a private one through a lambda) */
    static int one() {
        return 1;
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
     * Runs every step on the calling thread, in the order the worker needs them, each on its own.
     *
     * @throws Exception the first step's failure (the later ones' suppressed in it), once every step has run
     */
    public static void runSteps() throws Exception {
        Throwable failed = runEach(STEPS);
        if (failed instanceof Exception e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }
}
