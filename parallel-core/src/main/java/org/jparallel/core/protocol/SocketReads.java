package org.jparallel.core.protocol;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;

/**
 * How much one socket read may take on a connection. During the handshake, Netty's default (at most 64 KB),
 * so a peer that has not authenticated makes the decoder buffer little. Once authenticated, up to {@link
 * #AUTHENTICATED_MAX}: a big payload then arrives in a sixteenth of the reads, each a pass through the
 * pipeline and the decoder (the payload ping-pong's floor took a third to a quarter of the CPU per 16 MB round
 * trip with 1 MB reads than with 64 KB ones). Reads still start small and grow only while they come full, so
 * connections carrying small tasks keep small buffers.
 */
public final class SocketReads {
    /** The most one read takes once the peer is authenticated, in bytes. */
    public static final int AUTHENTICATED_MAX = 1 << 20;

    private SocketReads() {
    }

    /** Lets reads on {@code ch} grow to {@link #AUTHENTICATED_MAX}; call when its peer has authenticated. */
    public static void authenticated(Channel ch) {
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 2048, AUTHENTICATED_MAX));
    }
}
