package org.jparallel.core.worker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * One round of a worker's connection attempts: every manager address at once, each running the
 * handshake. The first attempt whose peer proves it holds the secret is the only one that sends
 * PROOF ({@link ProofGate}); the others close at that moment, before proving anything, so the
 * manager never sees a second connection with the same worker id. Every try is logged with its
 * address, outcome and time.
 */
final class AddressRace {
    private static final InternalLogger LOG = WorkerLogs.logger(AddressRace.class);
    /** How long an attempt may take from connect to WELCOME (the manager's own default is 10 s). */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    /** Opens one connection whose pipeline runs the handshake with the given outcome and gate. */
    interface Connector {
        ChannelFuture connect(String address, SessionOutcome outcome, ProofGate gate);
    }

    /** How a try ended, for the log and for deciding whether to retry. */
    enum Kind { WON, UNREACHABLE, CLOSED, TIMED_OUT, REFUSED, LOST }

    private final List<Attempt> attempts = new ArrayList<>();
    private final CompletableFuture<Attempt> result = new CompletableFuture<>();
    private final int round;
    private final Map<String, Kind> previous;
    private Attempt prover;
    private int open;

    /**
     * @param round the round number, from 1, for the log
     * @param previous how each address's try ended in the round before; updated by this round. A try
     *     whose outcome is the same as last round's is logged at DEBUG, others at INFO
     */
    AddressRace(int round, Map<String, Kind> previous) {
        this.round = round;
        this.previous = previous;
    }

    /**
     * Tries every address at once and waits until one attempt completes the handshake or all have
     * ended.
     *
     * @return the attempt that received WELCOME (its channel now carries the session), or {@code
     *     null} when none did: see {@link #attempts()} for why
     */
    Attempt run(List<String> addresses, Connector connector) {
        start(addresses, connector);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Starts one attempt per address, all at once. */
    void start(List<String> addresses, Connector connector) {
        List<Attempt> mine = new ArrayList<>();
        synchronized (this) {
            open += addresses.size();
            for (String address : addresses) {
                mine.add(new Attempt(address));
            }
            attempts.addAll(mine);
        }
        for (Attempt a : mine) {
            a.start(connector);
        }
    }

    /** @return completes with the attempt that received WELCOME, or {@code null} once all ended without */
    CompletableFuture<Attempt> result() {
        return result;
    }

    /** @return this round's attempts, in address order */
    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /**
     * @return whether every try of this round found nobody listening at its address ({@link
     *     Attempt#nobodyListens()}): the manager's process is gone
     */
    synchronized boolean nobodyListens() {
        return !attempts.isEmpty() && attempts.stream().allMatch(Attempt::nobodyListens);
    }

    /**
     * @return whether {@code connectFailure} says the host refused the connection, nobody listening at the port
     *     (a {@link ConnectException}, not Netty's connect timeout, which is one too): not a timeout, nor a missing
     *     route, which a network blip may cause while the manager lives
     */
    static boolean refusedByHost(Throwable connectFailure) {
        return connectFailure instanceof ConnectException && !(connectFailure instanceof ConnectTimeoutException);
    }

    /** @return the first refusal of this round (a REJECT, or a peer without the secret), or {@code null} */
    synchronized String rejection() {
        for (Attempt a : attempts) {
            if (a.kind == Kind.REFUSED) {
                return a.outcome.rejection();
            }
        }
        return null;
    }

    private synchronized boolean claim(Attempt a) {
        if (prover != null) {
            a.lostTo = prover.address;
            return false;
        }
        prover = a;
        for (Attempt other : attempts) {
            if (other != a) {
                other.lostTo = a.address;
                other.close();
            }
        }
        return true;
    }

    private synchronized void closeAll() {
        for (Attempt a : attempts) {
            a.close();
        }
    }

    private void ended(Attempt a) {
        boolean last;
        synchronized (this) {
            last = --open == 0;
        }
        log(a);
        if (last) {
            result.complete(null);
        }
    }

    private void log(Attempt a) {
        Kind before = previous.put(a.address, a.kind);
        String line = "try {} (round {}): {}";
        if (round == 1 || before != a.kind || a.kind == Kind.WON || a.kind == Kind.REFUSED) {
            LOG.info(line, a.address, round, a.describe());
        } else {
            LOG.debug(line, a.address, round, a.describe());
        }
    }

    /** One connection attempt to one address. */
    final class Attempt implements ProofGate {
        final String address;
        final SessionOutcome outcome = new SessionOutcome();
        private final long startNanos = System.nanoTime();
        private volatile long connectedNanos;
        private volatile long endNanos;
        private volatile ChannelFuture connect;
        private volatile ScheduledFuture<?> timeout;
        private volatile boolean timedOut;
        private volatile boolean welcomed;
        private volatile String lostTo;
        private volatile String connectError;
        private volatile boolean refusedByHost;
        private volatile Kind kind;

        private Attempt(String address) {
            this.address = address;
        }

        /** @return the attempt's channel */
        Channel channel() {
            return connect.channel();
        }

        /** @return how this try ended, or {@code null} while it runs */
        Kind kind() {
            return kind;
        }

        /** @return whether this try ended with its connect refused by the host: nobody listens at the address */
        boolean nobodyListens() {
            return kind == Kind.UNREACHABLE && refusedByHost;
        }

        private void start(Connector connector) {
            ChannelFuture f;
            try {
                f = connector.connect(address, outcome, this);
            } catch (RuntimeException e) {
                connectError = e.toString();
                endNanos = System.nanoTime();
                kind = Kind.UNREACHABLE;
                ended(this);
                return;
            }
            connect = f;
            if (lostTo != null) {
                f.channel().close();
            }
            f.addListener(done -> {
                if (done.isSuccess()) {
                    connectedNanos = System.nanoTime();
                    timeout = f.channel().eventLoop().schedule(() -> {
                        timedOut = true;
                        f.channel().close();
                    }, HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                } else if (done.cause() != null) {
                    refusedByHost = refusedByHost(done.cause());
                    connectError = message(done.cause());
                }
            });
            // An attempt has ended when its channel is closed and its connect future is done (a failed
            // name lookup closes the channel before it fails the future).
            f.channel().closeFuture().addListener(c -> f.addListener(done -> finish()));
        }

        private void finish() {
            if (kind != null) {
                return;
            }
            endNanos = System.nanoTime();
            if (timeout != null) {
                timeout.cancel(false);
            }
            kind = classify();
            ended(this);
        }

        private Kind classify() {
            if (welcomed) {
                return Kind.WON;
            }
            if (lostTo != null) {
                // it never sent PROOF: whatever it saw after another attempt won does not matter
                return Kind.LOST;
            }
            if (outcome.rejection() != null) {
                return Kind.REFUSED;
            }
            if (timedOut) {
                return Kind.TIMED_OUT;
            }
            return connectedNanos == 0 ? Kind.UNREACHABLE : Kind.CLOSED;
        }

        private void close() {
            ChannelFuture f = connect;
            if (f != null) {
                f.channel().close();
            }
        }

        @Override
        public boolean mayProve(Channel channel) {
            return claim(this);
        }

        @Override
        public void welcomed(Channel channel) {
            welcomed = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            kind = Kind.WON;
            LOG.info("try {} (round {}): {}", address, round, describe());
            previous.put(address, Kind.WON);
            result.complete(this);
        }

        /** @return the outcome and its times, for the log and error messages */
        String describe() {
            long now = System.nanoTime();
            long total = ms((endNanos != 0 ? endNanos : now) - startNanos);
            String connected = connectedNanos == 0 ? "" : "connected in " + ms(connectedNanos - startNanos) + " ms, ";
            Kind k = kind != null ? kind : (welcomed ? Kind.WON : null);
            if (k == null) {
                return "still running after " + total + " ms";
            }
            return switch (k) {
                case WON -> connected + "handshake complete in " + total + " ms; using this address";
                case UNREACHABLE -> "no connection after " + total + " ms: "
                        + (connectError != null ? connectError : "the connection failed");
                case CLOSED -> connected + "closed by the peer during the handshake after " + total + " ms";
                case TIMED_OUT -> connected + "no handshake within " + HANDSHAKE_TIMEOUT_MILLIS + " ms";
                case REFUSED -> connected + "refused after " + total + " ms: " + outcome.rejection();
                case LOST -> (connectedNanos == 0 ? "abandoned while connecting" : connected + "closed before PROOF")
                        + " after " + total + " ms: " + lostTo + " answered first";
            };
        }

        @Override
        public String toString() {
            return address + ": " + describe();
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
