package org.jparallel.core.worker.startup;

/**
 * Netty settings a worker JVM (and the manager, when it creates its first manager) starts with
 * unless its command line sets them. Netty 4.2 registers
 * its buffer-allocation events with Java Flight Recorder when it allocates its first buffer; that
 * loads and initialises the JFR module (hundreds of classes, about a fifth of a fresh worker's CPU
 * time before its first result, measured) on the network thread in the middle of the handshake,
 * even when no recording runs (the manager paid about 0.2 s of it too). Both therefore start with
 * {@code io.netty.jfr.enabled=false}; {@code -Dio.netty.jfr.enabled=true} on the command line (the
 * worker's JVM options, or the manager's) brings the events back.
 */
public final class NettyDefaults {
    /** The property that turns Netty's JFR events on or off. */
    public static final String JFR_ENABLED = "io.netty.jfr.enabled";

    private NettyDefaults() {
    }

    /** Applies the defaults; call before any Netty class is loaded. */
    public static void apply() {
        if (System.getProperty(JFR_ENABLED) == null) {
            System.setProperty(JFR_ENABLED, "false");
        }
    }
}
