package org.jparallel.core.manager;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists this machine's addresses that other hosts may reach (on an interface that is up; not loopback, not
 * link-local), IPv4 first: where workers started elsewhere look for the manager, and what
 * {@code jparallel doctor} suggests binding to.
 */
public final class AddressFinder {
    private AddressFinder() {
    }

    /** @return the reachable addresses, IPv4 first; empty when there is none or the interfaces cannot be listed */
    public static List<InetAddress> reachable() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        (a instanceof Inet4Address ? v4 : v6).add(a);
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        v4.addAll(v6);
        return v4;
    }

    /** @return {@link #reachable()} as host strings for a worker's command line, IPv6 ones in brackets */
    static List<String> nonLoopbackAddresses() {
        List<String> hosts = new ArrayList<>();
        for (InetAddress a : reachable()) {
            hosts.add(a instanceof Inet4Address ? a.getHostAddress() : "[" + withoutScope(a) + "]");
        }
        return hosts;
    }

    /** @return the address as text without its scope ({@code %eth0}) */
    public static String withoutScope(InetAddress a) {
        return a.getHostAddress().replaceAll("%.*$", "");
    }
}
