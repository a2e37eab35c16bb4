package org.jparallel.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.core.manager.AddressFinder;

/**
 * The manager's side of the network, checked without sending anything off this machine: the port
 * can be bound on the bind address, and the host workers are told to connect to is an address of
 * this machine (a manager host that is not cannot reach the manager, so no probe is sent there).
 */
final class NetworkChecks {
    private final ManagerSettings settings;

    NetworkChecks(ManagerSettings settings) {
        this.settings = settings;
    }

    /** @return whether the manager can listen on its bind address and port */
    CheckResult port() {
        String bind = settings.bindAddress();
        int port = settings.port();
        String where = (bind == null ? "every interface" : bind) + ", port " + (port == 0 ? "any free one" : port);
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(bind), port));
            return CheckResult.ok("manager port", "can listen on " + where + (port == 0 ? " (e.g. " + s.getLocalPort() + ")" : ""));
        } catch (UnknownHostException e) {
            return CheckResult.fail("manager port", "the bind address " + bind + " does not resolve",
                    "set jparallel.manager.bind to an address of this machine (" + String.join(", ", localAddresses())
                            + "), or remove it to listen on every interface");
        } catch (IOException e) {
            if (bind != null && !isLocal(bind)) {
                return CheckResult.fail("manager port", "cannot listen on " + where + ": " + bind
                        + " is not an address of this machine", "set jparallel.manager.bind to one of "
                        + String.join(", ", localAddresses()) + ", or remove it to listen on every interface");
            }
            return CheckResult.fail("manager port", "cannot listen on " + where + ": " + e.getMessage(),
                    "another process holds the port: set jparallel.manager.port to a free port, or 0 for any");
        }
    }

    /** @return whether the host the group's workers are told to use is this machine */
    CheckResult managerAddress(ResolvedConfig.Group g) {
        String own = Doctor.declares(g, "host") ? g.backendSettings().get("host") : null;
        String host = own != null && !own.isBlank() ? own.trim() : settings.host();
        String key = own != null && !own.isBlank() ? Doctor.key(g, "host") : "jparallel.manager.host";
        String name = "manager address (group " + g.name() + ")";
        if (host == null) {
            boolean local = g.backend().name().equals("local");
            return CheckResult.ok(name, "not set: workers use " + (local ? "loopback (127.0.0.1)"
                    : "every address of this machine: " + String.join(", ", localAddresses())));
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return CheckResult.fail(name, key + "=" + host + " does not resolve on this machine",
                    "set " + key + " to a name or address of this machine that the workers can reach: "
                            + String.join(", ", localAddresses()));
        }
        for (InetAddress a : all) {
            if (isLocal(a)) {
                return CheckResult.ok(name, key + "=" + host + " is " + a.getHostAddress() + ", an address of this machine");
            }
        }
        return CheckResult.fail(name, key + "=" + host + " (" + addresses(all) + ") is not an address of this machine, "
                        + "so workers told to connect there cannot reach the manager (no probe was sent to it)",
                "set " + key + " to an address of this machine that the workers can reach: "
                        + String.join(", ", localAddresses()) + (g.backend().name().equals("local")
                        ? " (or remove it: local workers use loopback)" : ""));
    }




    private static String addresses(InetAddress[] all) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : all) {
            out.add(a.getHostAddress());
        }
        return String.join(", ", out);
    }

    static boolean isLocal(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (isLocal(a)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** @return this machine's addresses that other hosts may reach, IPv4 first; loopback when there is none */
    static List<String> localAddresses() {
        List<String> found = AddressFinder.reachable().stream().map(AddressFinder::withoutScope).toList();
        return found.isEmpty() ? List.of("127.0.0.1") : found;
    }
}
