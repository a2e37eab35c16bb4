package org.jparallel.core.status;

import io.netty.channel.EventLoopGroup;
import java.util.ServiceLoader;
import org.jparallel.JParallelException;
import org.jparallel.Manager;

/** Finds the status page's module and starts the page, or says what to add when it is missing. */
public final class StatusPages {
    private StatusPages() {
    }

    /**
     * @return the running page
     * @throws JParallelException when {@code org.jparallel:parallel-status} is not on the classpath, or the
     *     page cannot listen
     */
    public static StatusPageProvider.Running start(Manager manager, EventLoopGroup group, String bind, int port) {
        StatusPageProvider provider = ServiceLoader.load(StatusPageProvider.class, StatusPages.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new JParallelException("A status port is set (jparallel.manager.status-port or "
                        + "ManagerBuilder.statusPort), but the status page's module is not on the classpath. Add "
                        + "org.jparallel:parallel-status to the manager's dependencies, or leave the status port unset."));
        return provider.start(manager, group, bind, port);
    }
}
