package org.jparallel.core.worker;

import io.netty.channel.Channel;
import io.netty.util.internal.logging.InternalLogger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * {@link AddressRace} for the blocking transport ({@link BlockingSession}): one round of connection
 * attempts, every manager address at once (one thread each; a single address on the calling thread),
 * each running the handshake. The first attempt whose peer proves it holds the secret is the only one
 * that sends PROOF; the others close at that moment. Every try is logged with its address, outcome and
 * time, as AddressRace does.
 */
final class BlockingRace {
    private static final InternalLogger LOG = WorkerLogs.logger(BlockingRace.class);

    private final int round;
    private final Map<String, AddressRace.Kind> previous;
    private final List<Attempt> attempts = new ArrayList<>();
    private Attempt prover;
    private Attempt winner;
    private int open;

    /** @param previous how each address's try ended in the round before; updated by this round */
    BlockingRace(int round, Map<String, AddressRace.Kind> previous) {
        this.round = round;
        this.previous = previous;
    }

    /**
     * Tries every address at once and waits until one attempt completes the handshake or all have ended.
     *
     * @return the attempt that received WELCOME (its session not yet served), or {@code null} when none did
     */
    Attempt run(WorkerOptions options, List<String> addresses) {
        synchronized (this) {
            for (String address : addresses) {
                attempts.add(new Attempt(options, address));
            }
            open = attempts.size();
        }
        if (attempts.size() == 1) {
            attempts.get(0).run();
        } else {
            for (Attempt a : attempts) {
                Thread t = new Thread(a, "jparallel-connect " + a.session.address);
                t.setDaemon(true);
                t.start();
            }
        }
        synchronized (this) {
            try {
                while (winner == null && open > 0) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attempts.forEach(a -> a.session.close());
                return null;
            }
            return winner;
        }
    }

    /** @return this round's attempts, in address order */
    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** @return whether every try of this round found nobody listening at its address: the manager's process is gone */
    synchronized boolean nobodyListens() {
        return !attempts.isEmpty() && attempts.stream().allMatch(a -> a.kind == AddressRace.Kind.UNREACHABLE
                && a.session.refusedByHost);
    }

    /** @return the first refusal of this round (a REJECT, or a peer without the secret), or {@code null} */
    synchronized String rejection() {
        for (Attempt a : attempts) {
            if (a.kind == AddressRace.Kind.REFUSED) {
                return a.session.outcome.rejection();
            }
        }
        return null;
    }

    private synchronized boolean claim(Attempt a) {
        if (prover != null) {
            a.lostTo = prover.session.address;
            return false;
        }
        prover = a;
        for (Attempt other : attempts) {
            if (other != a) {
                other.lostTo = a.session.address;
                other.session.close();
            }
        }
        return true;
    }

    /** One connection attempt to one address. */
    final class Attempt implements ProofGate, Runnable {
        final BlockingSession session;
        private final long startNanos = System.nanoTime();
        private volatile long endNanos;
        private volatile String lostTo;
        private volatile AddressRace.Kind kind;
        /** The manager's welcome, once the handshake is complete. */
        volatile WorkerHandshake.Step welcome;

        private Attempt(WorkerOptions options, String address) {
            this.session = new BlockingSession(options, address, this);
        }

        @Override
        public void run() {
            WorkerHandshake.Step step = null;
            try {
                step = session.handshake();
            } finally {
                if (step == null) {
                    session.close(); // closed already, unless something unexpected ended the handshake
                }
                ended(step);
            }
        }

        /** Records how this attempt ended, and ends the race's wait for it, whatever ended it. */
        private void ended(WorkerHandshake.Step step) {
            endNanos = System.nanoTime();
            welcome = step;
            kind = step != null ? AddressRace.Kind.WON : lostTo != null ? AddressRace.Kind.LOST
                    : session.outcome.rejection() != null ? AddressRace.Kind.REFUSED
                    : session.timedOut ? AddressRace.Kind.TIMED_OUT
                    : session.connectedNanos == 0 ? AddressRace.Kind.UNREACHABLE : AddressRace.Kind.CLOSED;
            AddressRace.Kind before = previous.put(session.address, kind);
            String line = "try {} (round {}): {}";
            if (round == 1 || before != kind || kind == AddressRace.Kind.WON || kind == AddressRace.Kind.REFUSED) {
                LOG.info(line, session.address, round, describe());
            } else {
                LOG.debug(line, session.address, round, describe());
            }
            synchronized (BlockingRace.this) {
                open--;
                if (step != null) {
                    winner = this;
                }
                BlockingRace.this.notifyAll();
            }
        }

        @Override
        public boolean mayProve(Channel channel) {
            return claim(this);
        }

        @Override
        public void welcomed(Channel channel) {
            // the race ends when run() returns
        }

        /** @return the outcome and its times, for the log and error messages */
        String describe() {
            long total = TimeUnit.NANOSECONDS.toMillis((endNanos != 0 ? endNanos : System.nanoTime()) - startNanos);
            long connectedAt = session.connectedNanos;
            String connected = connectedAt == 0 ? "" : "connected in "
                    + TimeUnit.NANOSECONDS.toMillis(connectedAt - startNanos) + " ms, ";
            AddressRace.Kind k = kind;
            if (k == null) {
                return "still running after " + total + " ms";
            }
            return switch (k) {
                case WON -> connected + "handshake complete in " + total + " ms; using this address";
                case UNREACHABLE -> "no connection after " + total + " ms: "
                        + (session.connectError != null ? session.connectError : "the connection failed");
                case CLOSED -> connected + "closed by the peer during the handshake after " + total + " ms";
                case TIMED_OUT -> connected + "no handshake within " + AddressRace.HANDSHAKE_TIMEOUT_MILLIS + " ms";
                case REFUSED -> connected + "refused after " + total + " ms: " + session.outcome.rejection();
                case LOST -> (connectedAt == 0 ? "abandoned while connecting" : connected + "closed before PROOF")
                        + " after " + total + " ms: " + lostTo + " answered first";
            };
        }

        @Override
        public String toString() {
            return session.address + ": " + describe();
        }
    }
}
