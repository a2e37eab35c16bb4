package org.jparallel.ssh;

import java.util.Objects;

/**
 * One entry of a host list: a host name or address and how many workers it takes at most.
 *
 * @param host a host name or address (an IPv6 address without brackets)
 * @param slots how many workers this host runs at most, at least 1
 */
public record SshHost(String host, int slots) {

    /** Checks the entry. */
    public SshHost {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (slots < 1) {
            throw new IllegalArgumentException("host " + host + " needs at least 1 slot, got " + slots);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + slots;
    }
}
