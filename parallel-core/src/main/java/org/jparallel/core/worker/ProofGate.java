package org.jparallel.core.worker;

import io.netty.channel.Channel;

/**
 * Decides which of a worker's parallel connection attempts may prove itself to the manager. The
 * manager admits a worker id once, so only one attempt may send PROOF: the first whose peer has
 * proved it holds the secret. The others close before they prove anything, and the manager sees
 * them as handshakes that never finished, not as a second worker with the same id.
 */
interface ProofGate {
    /** A gate for a single attempt: it always may prove. */
    ProofGate ALWAYS = new ProofGate() {
        @Override
        public boolean mayProve(Channel channel) {
            return true;
        }

        @Override
        public void welcomed(Channel channel) {
        }
    };

    /**
     * Called once the manager's CHALLENGE has been verified, before PROOF is sent.
     *
     * @param channel the attempt's channel
     * @return true when this attempt is the one to prove itself; false when another attempt got
     *     there first, and this one must close without sending PROOF
     */
    boolean mayProve(Channel channel);

    /**
     * Called when the manager's WELCOME has arrived on the attempt that proved itself.
     *
     * @param channel the attempt's channel, now an authenticated session
     */
    void welcomed(Channel channel);
}
