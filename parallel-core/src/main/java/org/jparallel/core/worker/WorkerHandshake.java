package org.jparallel.core.worker;

import io.netty.channel.Channel;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.worker.startup.HostName;
import org.jparallel.core.worker.startup.ProcessId;

/**
 * The worker's side of the handshake, whatever carries it (Netty's pipeline in
 * {@link WorkerHandshakeHandler}, the blocking connection in {@link BlockingSession}): the HELLO it opens
 * with, and what each of the manager's messages calls for. It checks the manager's proof before proving
 * itself, so a worker never takes work from a peer without the secret; a {@link ProofGate} lets only the
 * first verified attempt of several send PROOF.
 */
final class WorkerHandshake {
    /** What the transport does after a message: send {@link #send}, start the session, or close. */
    static final class Step {
        static final Step CLOSE = new Step(null, null, null);
        /** The message to send (a PROOF), or {@code null}. */
        final Message send;
        /** The manager's welcome when the session starts now, else {@code null}. */
        final Message.Welcome welcome;
        /** The manager's deserialization filter, with the welcome. */
        final SerialFilter filter;

        private Step(Message send, Message.Welcome welcome, SerialFilter filter) {
            this.send = send;
            this.welcome = welcome;
            this.filter = filter;
        }

        /** @return true when the transport closes the connection (the outcome says why) */
        boolean close() {
            return this == CLOSE;
        }
    }

    private final WorkerOptions options;
    private final SessionOutcome outcome;
    private final ProofGate gate;
    private final byte[] nonce = Secret.nonce();
    private boolean managerVerified;

    WorkerHandshake(WorkerOptions options, SessionOutcome outcome, ProofGate gate) {
        this.options = options;
        this.outcome = outcome;
        this.gate = gate;
    }

    /** @return the HELLO that opens the handshake */
    Message.Hello hello() {
        return new Message.Hello(MessageEncoder.VERSION, options.workerId(), ProcessId.get(),
                HostName.get(), System.getProperty("java.version"), nonce, options.remainingLifetimeMillis(),
                options.slots());
    }

    /**
     * @param msg the manager's message
     * @param peer the manager's address, for messages
     * @param channel the connection, for the gate ({@code null} on a transport without channels)
     * @return what to do next
     */
    Step onMessage(Message msg, Object peer, Channel channel) {
        switch (msg.type()) {
            case CHALLENGE -> {
                Message.Challenge c = (Message.Challenge) msg;
                byte[] expected = options.secret().managerMac(nonce, c.nonce(), options.workerId());
                if (!Secret.matches(expected, c.mac())) {
                    outcome.rejected("the peer at " + peer + " did not prove it holds this run's secret; it is not our manager");
                    return Step.CLOSE;
                }
                if (!gate.mayProve(channel)) {
                    return Step.CLOSE; // another address of the manager answered first: leave before proving anything
                }
                managerVerified = true;
                return new Step(new Message.Proof(options.secret().workerMac(nonce, c.nonce(), options.workerId())),
                        null, null);
            }
            case WELCOME -> {
                if (!managerVerified) {
                    outcome.rejected("the peer at " + peer
                            + " sent WELCOME without proving it holds this run's secret; it is not our manager");
                    return Step.CLOSE;
                }
                Message.Welcome w = (Message.Welcome) msg;
                try {
                    return new Step(null, w, SerialFilter.of(w.serialFilter()));
                } catch (IllegalArgumentException e) {
                    outcome.rejected("the manager's deserialization filter (" + SerialFilter.KEY + ") is not valid here: "
                            + e.getMessage());
                    return Step.CLOSE;
                }
            }
            case REJECT -> {
                outcome.rejected("the manager refused this worker: " + ((Message.Reject) msg).reason());
                return Step.CLOSE;
            }
            default -> {
                outcome.rejected("unexpected " + msg.type() + " during the handshake");
                return Step.CLOSE;
            }
        }
    }
}
