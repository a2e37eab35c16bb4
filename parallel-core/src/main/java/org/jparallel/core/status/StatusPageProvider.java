package org.jparallel.core.status;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.jparallel.Manager;

/**
 * Starts a manager's status page. The page lives in its own module, {@code org.jparallel:parallel-status},
 * found with {@link java.util.ServiceLoader} when a status port is set: its HTTP codec and JSON library
 * are five jars that a worker, which runs on the manager's classpath, would otherwise open at every
 * start (a fresh local worker looks a resource up in each jar).
 */
public interface StatusPageProvider {
    /**
     * Starts the page and returns once it listens.
     *
     * @param manager the manager whose workers and counters are shown
     * @param group the event loop group to serve on (the manager's)
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @return the running page
     * @throws org.jparallel.JParallelException when it cannot listen
     */
    Running start(Manager manager, EventLoopGroup group, String bind, int port);

    /** A status page that is being served. */
    interface Running extends AutoCloseable {
        /** @return the address the page is served on */
        InetSocketAddress address();

        /** Stops listening. */
        @Override
        void close();
    }
}
