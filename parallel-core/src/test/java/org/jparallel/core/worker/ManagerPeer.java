package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.MessageType;
import org.jparallel.core.protocol.Secret;

/**
 * The manager's end of one connection of a worker's blocking transport, played by hand over a real socket, byte
 * for byte with the protocol's codec: for the tests of {@link BlockingSession}.
 */
final class ManagerPeer {
    final Socket socket;
    private final Secret secret;
    private final InputStream in;
    private final MessageDecoder decoder = new MessageDecoder();
    private final ByteBuf buf = Unpooled.buffer();
    private final List<Object> decoded = new ArrayList<>();

    /** Accepts the next connection on {@code server}; its reads wait at most {@code waitSeconds}. */
    ManagerPeer(ServerSocket server, Secret secret, long waitSeconds) throws IOException {
        this.secret = secret;
        server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(waitSeconds));
        socket = server.accept();
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(waitSeconds));
        in = socket.getInputStream();
    }

    void send(Message m) throws IOException {
        List<Object> out = new ArrayList<>();
        MessageEncoder.encode(UnpooledByteBufAllocator.DEFAULT, m, out);
        for (Object o : out) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            socket.getOutputStream().write(bytes);
        }
    }

    /** @return the next message from the worker, heartbeats skipped unless asked for; null at the end of the stream */
    Message next(boolean heartbeats) throws IOException {
        while (true) {
            while (decoded.isEmpty()) {
                decoder.decodeFrames(buf, decoded);
                if (!decoded.isEmpty()) {
                    break;
                }
                byte[] chunk = new byte[4096];
                int n = in.read(chunk);
                if (n < 0) {
                    return null;
                }
                buf.writeBytes(chunk, 0, n);
            }
            Message m = (Message) decoded.remove(0);
            if (heartbeats || m.type() != MessageType.HEARTBEAT) {
                return m;
            }
        }
    }

    /** Runs the manager's side of the handshake, as a manager that can be resumed; @return the worker's HELLO */
    Message.Hello welcome(int heartbeatMillis, int deathTimeoutMillis) throws IOException {
        return welcome(heartbeatMillis, deathTimeoutMillis, true);
    }

    /**
     * Runs the manager's side of the handshake; @return the worker's HELLO
     *
     * @param resumable whether the WELCOME says the manager can be resumed (it keeps a journal)
     */
    Message.Hello welcome(int heartbeatMillis, int deathTimeoutMillis, boolean resumable) throws IOException {
        Message.Hello hello = assertInstanceOf(Message.Hello.class, next(false));
        byte[] nonce = Secret.nonce();
        send(new Message.Challenge(nonce, secret.managerMac(hello.nonce(), nonce, hello.workerId())));
        Message.Proof proof = assertInstanceOf(Message.Proof.class, next(false));
        assertArrayEquals(secret.workerMac(hello.nonce(), nonce, hello.workerId()), proof.mac());
        decoder.authenticated(64 << 20);
        send(new Message.Welcome(heartbeatMillis, deathTimeoutMillis, 64 << 20, "", resumable));
        return hello;
    }
}
