package org.jparallel.core.worker.startup;

/**
 * Netty settings a worker JVM (and the manager, when it creates its first manager) starts with
 * unless its command line sets them:
 * <ul>
 *   <li>{@code io.netty.jfr.enabled=false}. Netty 4.2 registers its buffer-allocation events with
 *       Java Flight Recorder when it allocates its first buffer; that loads and initialises the JFR
 *       module (hundreds of classes, a good share of a fresh worker's CPU time before its first
 *       result) on the network thread in the middle of the handshake, even when no recording runs
 *       (the manager pays for it too).</li>
 *   <li>{@code io.netty.leakDetection.level=disabled}. Netty's default samples one buffer in 128
 *       and records a stack trace for it, to report buffers never released; with tiny tasks that
 *       costs the workers throughput. jparallel's own tests run with the check at its strictest
 *       instead.</li>
 * </ul>
 * Either property on the command line (the worker's JVM options, or the manager's) wins, e.g.
 * {@code -Dio.netty.leakDetection.level=simple} to look for a leak.
 */
public final class NettyDefaults {
    /** The property that turns Netty's JFR events on or off. */
    public static final String JFR_ENABLED = "io.netty.jfr.enabled";
    /** The property that sets Netty's buffer-leak detection. */
    public static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private NettyDefaults() {
    }

    /** Applies the defaults; call before any Netty class is loaded. */
    public static void apply() {
        setUnlessSet(JFR_ENABLED, "false");
        setUnlessSet(LEAK_DETECTION, "disabled");
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
