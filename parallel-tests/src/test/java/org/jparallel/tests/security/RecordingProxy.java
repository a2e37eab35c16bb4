package org.jparallel.tests.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy that records every byte in both directions: a capture of the wire, in process and
 * deterministic. It listens on {@code listen} and forwards each connection to {@code target}.
 */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<ByteArrayOutputStream> perConnection = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    RecordingProxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.server = new ServerSocket();
        server.bind(listen);
        this.target = target;
        this.acceptor = new Thread(this::accept, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return a second loopback address (127.0.0.2), which Linux answers without configuration */
    static InetAddress secondLoopback() throws IOException {
        return InetAddress.getByName("127.0.0.2");
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                ByteArrayOutputStream own = new ByteArrayOutputStream();
                synchronized (perConnection) {
                    perConnection.add(own);
                }
                pump(client.getInputStream(), upstream.getOutputStream(), toServer, own, upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), toClient, null, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream record,
                             ByteArrayOutputStream own, Socket peer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (record) {
                        record.write(buf, 0, n);
                    }
                    if (own != null) {
                        synchronized (own) {
                            own.write(buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed
            } finally {
                try {
                    peer.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "recording-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** @return everything the clients (workers) sent */
    byte[] clientBytes() {
        synchronized (toServer) {
            return toServer.toByteArray();
        }
    }

    /** @return what the client of connection {@code i} (in accept order) sent */
    byte[] clientBytes(int i) {
        ByteArrayOutputStream own;
        synchronized (perConnection) {
            own = perConnection.get(i);
        }
        synchronized (own) {
            return own.toByteArray();
        }
    }

    /** @return everything the server (manager) sent */
    byte[] serverBytes() {
        synchronized (toClient) {
            return toClient.toByteArray();
        }
    }

    /** @return true when {@code needle} occurs in either direction of the capture */
    boolean captured(byte[] needle) {
        return indexOf(clientBytes(), needle) >= 0 || indexOf(serverBytes(), needle) >= 0;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
