package org.jparallel.core.status;

import io.netty.channel.EventLoopGroup;
import java.util.ServiceConfigurationError;
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
        try {
            StatusPageProvider provider = find(StatusPages.class.getClassLoader());
            if (provider == null) {
                provider = find(Thread.currentThread().getContextClassLoader());
            }
            if (provider == null) {
                throw new JParallelException("A status port is set (jparallel.manager.status-port or "
                        + "ManagerBuilder.statusPort), but the status page's module is not on the classpath. Add "
                        + "org.jparallel:parallel-status to the manager's dependencies, or leave the status port unset.");
            }
            return provider.start(manager, group, bind, port);
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new JParallelException("The status page's module (org.jparallel:parallel-status) is on the classpath "
                    + "but cannot be loaded: " + e + ". It needs io.netty:netty-codec-http and "
                    + "com.fasterxml.jackson.core:jackson-databind beside it; depend on it through Maven or Gradle "
                    + "so that they come along, or leave the status port unset.", e);
        }
    }

    private static StatusPageProvider find(ClassLoader loader) {
        return loader == null ? null : ServiceLoader.load(StatusPageProvider.class, loader).findFirst().orElse(null);
    }
}
