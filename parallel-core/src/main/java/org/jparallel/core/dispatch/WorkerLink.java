package org.jparallel.core.dispatch;

import org.jparallel.core.protocol.Message;

/**
 * The dispatcher's view of a connection to an authenticated worker. Writes are buffered until
 * {@link #flush()}, so one dispatch round sends its messages in one go. A Netty channel implements
 * it in production; unit tests use a recording fake, with no sockets.
 */
public interface WorkerLink {
    /** Queues a message for the worker. */
    void send(Message message);

    /** Sends what was queued. */
    void flush();

    /** Closes the connection; the dispatcher then hears {@link Dispatcher#workerDisconnected}. */
    void close();
}
