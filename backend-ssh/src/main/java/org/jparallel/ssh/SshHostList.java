package org.jparallel.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses host lists such as {@code node1:4,node2:8,[fe80::1]:2,node3} (a host without a count has
 * one slot) and places workers on them.
 */
public final class SshHostList {

    private SshHostList() {
    }

    /**
     * @param text comma-separated {@code host[:slots]} entries; IPv6 addresses in brackets
     * @return the entries, in order
     * @throws IllegalArgumentException with a message naming the bad entry
     */
    public static List<SshHost> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no SSH hosts given (expected e.g. node1:4,node2:8)");
        }
        List<SshHost> hosts = new ArrayList<>();
        for (String raw : text.split(",")) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            hosts.add(parseEntry(e));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no SSH hosts in '" + text + "' (expected e.g. node1:4,node2:8)");
        }
        return List.copyOf(hosts);
    }

    private static SshHost parseEntry(String e) {
        String host;
        String slots = null;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad host entry '" + e + "': missing ]");
            }
            host = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("bad host entry '" + e + "': expected [address]:slots");
                }
                slots = rest.substring(1);
            }
        } else {
            int colon = e.indexOf(':');
            if (colon >= 0 && e.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("bad host entry '" + e + "': put IPv6 addresses in brackets,"
                        + " e.g. [" + e + "]:2");
            }
            host = colon < 0 ? e : e.substring(0, colon);
            slots = colon < 0 ? null : e.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("bad host entry '" + e + "': no host name");
        }
        int n = 1;
        if (slots != null) {
            try {
                n = Integer.parseInt(slots.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad slot count in host entry '" + e + "': '" + slots
                        + "' is not a number (expected host:slots, e.g. node1:4)");
            }
            if (n < 1) {
                throw new IllegalArgumentException("bad slot count in host entry '" + e + "': must be at least 1");
            }
        }
        return new SshHost(host, n);
    }

    /** @return the sum of the slots of {@code hosts} */
    public static int totalSlots(List<SshHost> hosts) {
        return hosts.stream().mapToInt(SshHost::slots).sum();
    }

    /**
     * Places {@code count} workers on the hosts round-robin, skipping a host once its slots are full,
     * so {@code a:2,b:1} with 3 workers gives {@code a, b, a}: every host gets work early.
     *
     * @param hosts the host list
     * @param count how many workers
     * @return the host of each worker, in order
     * @throws IllegalArgumentException when {@code count} exceeds the slots
     */
    public static List<SshHost> place(List<SshHost> hosts, int count) {
        int total = totalSlots(hosts);
        if (count > total) {
            throw new IllegalArgumentException(count + " SSH workers asked for, but the hosts "
                    + hosts + " offer only " + total + " slot(s): add hosts or slots, or start fewer workers");
        }
        int[] used = new int[hosts.size()];
        List<SshHost> out = new ArrayList<>(count);
        int i = 0;
        while (out.size() < count) {
            int h = i++ % hosts.size();
            if (used[h] < hosts.get(h).slots()) {
                used[h]++;
                out.add(hosts.get(h));
            }
        }
        return out;
    }
}
