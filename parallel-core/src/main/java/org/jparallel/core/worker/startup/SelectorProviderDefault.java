package org.jparallel.core.worker.startup;

/**
 * Names the JDK's own selector provider for a worker JVM on Linux, unless its command line names one
 * ({@code -Djava.nio.channels.spi.SelectorProvider}). Without it the JDK's first socket channel or
 * selector looks for a provider as a service, which opens every jar of the classpath (1-2 ms each; 30-40
 * ms of a fresh worker's start with the benchmark's 14 jars, more with a user's classpath), usually to find
 * none and take this same class (a provider a jar of the classpath declares as a service is not used in a
 * worker unless named on its command line; docs/benchmarks/2026-12-07-cold6.md). The one other user of the default
 * provider in the JDK, {@code java.net.DatagramSocket}, never mixes its channel with this provider's.
 */
public final class SelectorProviderDefault {
    /** The system property the JDK reads first for its selector provider. */
    public static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** The JDK's selector provider on Linux, what it would choose after the service lookup. */
    static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private SelectorProviderDefault() {
    }

    /** Sets the provider; call before the JVM's first socket channel or selector. */
    public static void apply() {
        if (System.getProperty(PROPERTY) == null && System.getProperty("os.name", "").startsWith("Linux")
                && exists(LINUX_PROVIDER)) {
            System.setProperty(PROPERTY, LINUX_PROVIDER);
        }
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
