package org.jparallel.core.worker;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.logging.InternalLogger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jparallel.core.loop.EventLoops;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.tls.TlsContexts;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * Connects a worker to its manager, trying every address at once and keeping the first that
 * completes the handshake ({@link AddressRace}), retrying with a short backoff until the connect
 * timeout, and runs the session until it ends (inside TLS, pinning the manager's certificate, when the secret
 * came with a fingerprint). A session that ends without the manager telling the worker to go (the manager's
 * JVM died, closing the connection) is not the end: the worker seeks its manager again at the same addresses for
 * the death timeout the manager gave (not after a silence that long: that time is spent), so a manager restarted on the same port with the same secret gets it back; but a worker
 * whose manager said it cannot be resumed (no journal) exits once rounds find nobody listening at any of its
 * addresses for 2 s ({@link RefusalSpell}: every connect refused by the host: its process is gone), while a connect that times out or finds no
 * route (a network blip; the manager may live) keeps it seeking. It returns as a
 * worker started by hand (id 0: the new manager did not start it and gives it an id of its own), with a fresh
 * session: its setups are forgotten and the tasks it ran for the dead manager abandoned. The exit code tells
 * how it ended: 0 the session ended (shutdown, or the manager went away and did not come back); 3 the
 * manager and worker refused each other; 4 no manager could be reached.
 *
 * <p>Two transports carry the same frames: a blocking socket ({@link BlockingRace}, {@link BlockingSession})
 * when TLS is off, which spares a fresh worker JVM Netty's channel machinery, and Netty's pipeline
 * ({@link AddressRace}, {@link WorkerHandshakeHandler}, {@link WorkerSessionHandler}) with TLS; {@link #run}
 * chooses.
 */
final class WorkerClient {
    static final int EXIT_OK = 0;
    static final int EXIT_REFUSED = 3;
    static final int EXIT_UNREACHABLE = 4;
    private static final InternalLogger LOG = WorkerLogs.logger(WorkerClient.class);

    private final SslContext tls;
    /** The time in nanoseconds ({@link System#nanoTime()}; a test's own clock): the deadlines, the spell of refusals. */
    private final LongSupplier clock;
    /** The options of the next handshake: the worker's own id at first, 0 once it returns to a restarted manager. */
    private volatile WorkerOptions options;

    WorkerClient(WorkerOptions options) {
        this(options, SystemClock.INSTANCE);
    }

    /**
     * {@link System#nanoTime()} as a class, not a method reference: a worker makes no lambda of its own before its
     * first result (each first call of one costs a fresh JVM; WorkerStartLambdasTest).
     */
    private static final class SystemClock implements LongSupplier {
        static final SystemClock INSTANCE = new SystemClock();

        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    /** @param clock the time in nanoseconds, {@link System#nanoTime()} but in tests */
    WorkerClient(WorkerOptions options, LongSupplier clock) {
        this.options = options;
        this.clock = clock;
        this.tls = options.tls() ? TlsContexts.client(options.tlsFingerprint()) : null;
    }

    /**
     * Runs the worker's connection: over a blocking socket ({@link BlockingSession}) when TLS is off, which
     * spares a fresh JVM Netty's channel machinery; over Netty's pipeline with TLS. The one place the
     * transport is chosen.
     */
    int run() {
        if (tls == null) {
            return connectAndServe(null);
        }
        EventLoopGroup group = EventLoops.nio(1, new DefaultThreadFactory("jparallel-net", true));
        try {
            return connectAndServe(group);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private int connectAndServe(EventLoopGroup group) {
        long deadline = clock.getAsLong() + options.connectTimeout().toNanos();
        long backoffMillis = 50;
        boolean returning = false;
        boolean resumable = true;
        RefusalSpell refusals = new RefusalSpell();
        Map<String, AddressRace.Kind> previous = new HashMap<>();
        for (int round = 1; ; round++) {
            RoundResult result = group == null ? blockingRound(round, previous) : nettyRound(group, round, previous);
            if (result.ended() != null) {
                SessionOutcome ended = result.ended();
                LOG.info("session ended: {}", ended.endReason());
                int window = ended.seekMillis();
                if (!ended.managerVanished() || window <= 0 || options.remainingLifetimeMillis() == 0) {
                    return EXIT_OK;
                }
                LOG.info("the manager went away without telling this worker to stop; seeking it again at {} for {} ms "
                        + "(the death timeout), {}", options.addresses(), window, ended.managerResumable()
                        ? "in case it restarts" : "in case it lives on (it has no journal: if nobody listens at its "
                        + "port for 2 s, this worker exits)");
                deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(window);
                returning = true;
                resumable = ended.managerResumable();
                refusals.reset();
                backoffMillis = 50;
                options = options.returning();
                previous.clear();
                round = 0;
                continue;
            }
            long now = clock.getAsLong(); // once a round: a test's clock counts the rounds by it
            String rejection = result.rejection();
            if (rejection != null) {
                LOG.error("{}", rejection);
                return EXIT_REFUSED;
            }
            if (returning && !resumable && refusals.round(result.nobodyListens(), now)) {
                // nobody has listened at its port for a while: its process is gone, and no restarted manager takes
                // this worker back (one refused round proves nothing: a firewall's REJECT refuses too)
                LOG.info("the manager at {} is gone and had no journal: nothing to resume; exiting. Last tries: {}",
                        String.join(", ", options.addresses()), result.tries());
                return EXIT_OK;
            }
            if (now > deadline && returning) {
                LOG.info("the manager did not come back within the death timeout; exiting. Last tries: {}",
                        result.tries());
                return EXIT_OK;
            }
            if (now > deadline) {
                LOG.error("could not reach the manager within {} s: {}. If the manager has already finished its work "
                        + "and exited, this is normal. Otherwise check that this host can reach the manager's address "
                        + "(set the manager host for multi-homed machines) and that no firewall blocks the port.",
                        options.connectTimeout().toSeconds(), result.tries());
                return EXIT_UNREACHABLE;
            }
            WorkerLogs.setUp(); // no manager yet: the worker waits anyway, and its log should show why
            LOG.debug("manager not reachable yet; retrying in {} ms", backoffMillis);
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return EXIT_UNREACHABLE;
            }
            backoffMillis = Math.min(1000, backoffMillis * 2);
        }
    }

    /**
     * How a round of connection attempts ended, whichever transport ran it.
     *
     * @param ended the outcome of the session the round's winner ran (ended now), or {@code null} when no attempt won
     * @param rejection the round's first refusal (a REJECT, or a peer without the secret), or {@code null}
     * @param tries the attempts, described for the log
     * @param nobodyListens whether every try found nobody listening at its address: the manager's process is gone
     */
    private record RoundResult(SessionOutcome ended, String rejection, String tries, boolean nobodyListens) {
    }

    private RoundResult blockingRound(int round, Map<String, AddressRace.Kind> previous) {
        BlockingRace race = new BlockingRace(round, previous);
        BlockingRace.Attempt winner = race.run(options, options.addresses());
        if (winner != null) {
            winner.session.serve(winner.welcome);
            return new RoundResult(winner.session.outcome, null, null, false);
        }
        StringBuilder tries = new StringBuilder();
        for (BlockingRace.Attempt a : race.attempts()) {
            tries.append(tries.length() == 0 ? "" : "; ").append(a);
        }
        return new RoundResult(null, race.rejection(), tries.toString(), race.nobodyListens());
    }

    private RoundResult nettyRound(EventLoopGroup group, int round, Map<String, AddressRace.Kind> previous) {
        AddressRace race = new AddressRace(round, previous);
        AddressRace.Attempt winner = race.run(options.addresses(),
                (address, outcome, gate) -> bootstrap(group, outcome, address, gate)
                        .connect(WorkerOptions.host(address), WorkerOptions.port(address)));
        if (winner != null) {
            winner.channel().closeFuture().awaitUninterruptibly();
            return new RoundResult(winner.outcome, null, null, false);
        }
        return new RoundResult(null, race.rejection(), describe(race.attempts()), race.nobodyListens());
    }

    private Bootstrap bootstrap(EventLoopGroup group, SessionOutcome outcome, String address, ProofGate gate) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    public boolean isSharable() { // as ChannelInitializer's annotation says, without Netty reading it
                        return true;
                    }

                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), WorkerOptions.host(address),
                                    WorkerOptions.port(address)));
                        }
                        ch.pipeline().addLast("decoder", new MessageDecoder());
                        ch.pipeline().addLast("encoder", Pipeline.ENCODER);
                        ch.pipeline().addLast("handshake", new WorkerHandshakeHandler(options, outcome, gate));
                    }
                });
    }

    /** The pipeline's encoder, made on first use: the blocking transport's worker never loads Netty's codec classes. */
    private static final class Pipeline {
        static final MessageEncoder ENCODER = new MessageEncoder();
    }

    private static String describe(List<AddressRace.Attempt> attempts) {
        return attempts.stream().map(AddressRace.Attempt::toString).collect(Collectors.joining("; "));
    }
}
