package org.jparallel.core.worker.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's name, for the worker's HELLO. {@code InetAddress.getLocalHost().getHostName()}
 * returns the kernel's host name but first resolves it through the name service, which on a
 * machine whose name is not in {@code /etc/hosts} is a DNS round trip (seconds when DNS is slow)
 * made on the network thread in the middle of the handshake. On Linux the kernel's name is read
 * directly; elsewhere the lookup runs once and is cached.
 */
public final class HostName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static volatile String cached;

    private HostName() {
    }

    /** @return the host name, or {@code unknown} when it cannot be found; looked up once */
    public static String get() {
        String h = cached;
        if (h == null) {
            h = lookUp(KERNEL_HOSTNAME);
            cached = h;
        }
        return h;
    }

    /**
     * @param kernelFile the file holding the kernel's host name on Linux
     * @return the name in {@code kernelFile}, else the name service's local host name, else {@code unknown}
     */
    public static String lookUp(Path kernelFile) {
        try {
            String name = Files.readString(kernelFile, StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: ask the name service
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
