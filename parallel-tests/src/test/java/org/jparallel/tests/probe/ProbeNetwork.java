package org.jparallel.tests.probe;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace {@value #NAMESPACE} joined to this machine by two veth pairs, for a manager
 * with two addresses of which a worker in the namespace can reach only one:
 *
 * <ul>
 *   <li>{@value #UNREACHABLE_ADDRESS} (here) / 10.231.78.2 (there): both ends up, but inside the
 *       namespace the manager's address maps to a MAC address nobody has, so a worker's SYN is
 *       dropped and its connect hangs, like a firewalled interface of a multi-homed head node;</li>
 *   <li>{@value #REACHABLE_ADDRESS} (here) / 10.231.79.2 (there): an ordinary link.</li>
 * </ul>
 *
 * Only these private addresses are used, only on these links; the namespace has no other route.
 * (scripts/sshd-up.sh uses another namespace, {@code jparallel-ssh}, with 10.231.77.0/24.)
 */
final class ProbeNetwork {
    static final String NAMESPACE = "jp-probe";
    static final String UNREACHABLE_ADDRESS = "10.231.78.1";
    static final String REACHABLE_ADDRESS = "10.231.79.1";
    private static final String HOST_A = "jpp-a0";
    private static final String HOST_B = "jpp-b0";

    private ProbeNetwork() {
    }

    /** Makes the namespace and its links, first removing any left over; skips (or fails under CI=true) when it cannot. */
    static void up() {
        down();
        String[][] steps = {
            {"ip", "netns", "add", NAMESPACE},
            {"ip", "-n", NAMESPACE, "link", "set", "lo", "up"},
            {"ip", "link", "add", HOST_A, "type", "veth", "peer", "name", "jpp-a1", "netns", NAMESPACE},
            {"ip", "link", "add", HOST_B, "type", "veth", "peer", "name", "jpp-b1", "netns", NAMESPACE},
            {"ip", "addr", "add", UNREACHABLE_ADDRESS + "/24", "dev", HOST_A},
            {"ip", "addr", "add", REACHABLE_ADDRESS + "/24", "dev", HOST_B},
            {"ip", "link", "set", HOST_A, "up"},
            {"ip", "link", "set", HOST_B, "up"},
            {"ip", "-n", NAMESPACE, "addr", "add", "10.231.78.2/24", "dev", "jpp-a1"},
            {"ip", "-n", NAMESPACE, "addr", "add", "10.231.79.2/24", "dev", "jpp-b1"},
            {"ip", "-n", NAMESPACE, "link", "set", "jpp-a1", "up"},
            {"ip", "-n", NAMESPACE, "link", "set", "jpp-b1", "up"},
            {"ip", "-n", NAMESPACE, "neigh", "replace", UNREACHABLE_ADDRESS, "lladdr", "02:00:00:00:00:01",
                "dev", "jpp-a1", "nud", "permanent"},
        };
        for (String[] step : steps) {
            String error = run(step);
            if (error != null) {
                down();
                unavailable("cannot make the network namespace " + NAMESPACE + " (`" + String.join(" ", step)
                        + "`: " + error + "); this test needs root and iproute2's `ip netns`");
            }
        }
    }

    /** Removes the namespace (which removes its veth pairs); quiet when there is nothing to remove. */
    static void down() {
        run("ip", "netns", "del", NAMESPACE);
        run("ip", "link", "del", HOST_A);
        run("ip", "link", "del", HOST_B);
    }

    /** @return the command that runs {@code command} inside the namespace */
    static List<String> inNamespace(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        out.addAll(command);
        return out;
    }

    private static void unavailable(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: this test must run in CI)");
        }
        Assumptions.abort(message);
    }

    /** @return null when the command succeeded, else its output or error */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
