package org.jparallel.status;

import io.netty.channel.EventLoopGroup;
import org.jparallel.Manager;
import org.jparallel.core.status.StatusPageProvider;

/** Makes this module's {@link StatusServer} the manager's status page (registered as a service). */
public final class StatusServerProvider implements StatusPageProvider {
    @Override
    public Running start(Manager manager, EventLoopGroup group, String bind, int port) {
        return StatusServer.start(manager, group, bind, port);
    }
}
