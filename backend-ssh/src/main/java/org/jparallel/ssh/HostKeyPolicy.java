package org.jparallel.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * What to do with a host's key, checked against a known_hosts file: {@link #STRICT} (the default,
 * like OpenSSH's {@code StrictHostKeyChecking yes}), {@link #ACCEPT_NEW} (trust on first use,
 * recorded in the file) or {@link #INSECURE} (no verification at all, logged loudly on every run).
 * A changed key is refused by both verifying policies.
 */
public enum HostKeyPolicy {
    /** Only keys already in known_hosts are accepted. */
    STRICT("strict"),
    /** Keys of hosts not in known_hosts are accepted and appended to it; changed keys are refused. */
    ACCEPT_NEW("accept-new"),
    /** Every key is accepted without a check. For throw-away test networks only. */
    INSECURE("insecure");

    /** What the check of one key against known_hosts leads to. */
    public enum Decision {
        /** The key is in known_hosts. */
        ACCEPT,
        /** The host is new: accept its key and record it in known_hosts. */
        RECORD_AND_ACCEPT,
        /** Accept without verification (policy insecure). */
        ACCEPT_UNVERIFIED,
        /** The host is not in known_hosts: refuse. */
        REFUSE_UNKNOWN,
        /** known_hosts holds another key for this host: refuse. */
        REFUSE_CHANGED
    }

    /** The result of a known_hosts lookup, independent of the SSH library. */
    public enum Lookup {
        /** The key matches an entry of the host. */
        MATCH,
        /** No entry for the host. */
        UNKNOWN,
        /** The host has entries, none with this key. */
        CHANGED
    }

    private final String configName;

    HostKeyPolicy(String configName) {
        this.configName = configName;
    }

    /** @return the name used in configuration, e.g. {@code accept-new} */
    public String configName() {
        return configName;
    }

    /**
     * @param text {@code strict}, {@code accept-new} or {@code insecure} (also OpenSSH's {@code yes}
     *     and {@code no})
     * @return the policy
     * @throws IllegalArgumentException for anything else
     */
    public static HostKeyPolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "strict", "yes" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "insecure", "no", "off" -> INSECURE;
            default -> throw new IllegalArgumentException("unknown host-key policy '" + text
                    + "': expected strict, accept-new or insecure");
        };
    }

    /**
     * @param lookup what known_hosts says about the offered key
     * @return what to do with it under this policy
     */
    public Decision decide(Lookup lookup) {
        if (this == INSECURE) {
            return lookup == Lookup.MATCH ? Decision.ACCEPT : Decision.ACCEPT_UNVERIFIED;
        }
        return switch (lookup) {
            case MATCH -> Decision.ACCEPT;
            case CHANGED -> Decision.REFUSE_CHANGED;
            case UNKNOWN -> this == ACCEPT_NEW ? Decision.RECORD_AND_ACCEPT : Decision.REFUSE_UNKNOWN;
        };
    }

    /**
     * @param keyBlob the public key as sent by the server
     * @return its OpenSSH fingerprint, {@code SHA256:} and unpadded base64, as {@code ssh-keygen -l} prints
     */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param knownHostsName the host as known_hosts names it: {@code host} for port 22, else {@code [host]:port}
     * @param keyType the key's algorithm, e.g. {@code ssh-ed25519}
     * @param fingerprint the key's fingerprint
     * @param knownHosts the file checked
     * @return why an unknown key was refused and the two ways to trust it
     */
    public static String unknownKeyMessage(String knownHostsName, String keyType, String fingerprint, Path knownHosts) {
        return "the host key of " + knownHostsName + " is not in " + knownHosts + ": it offers " + keyType + " "
                + fingerprint + ". Refused (jparallel.ssh.host-key=strict). If this is the right host (compare the"
                + " fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_" + keyscanType(keyType) + "_key.pub` run"
                + " on it), trust it with:\n    " + keyscanLine(knownHostsName, keyType, knownHosts)
                + "\nor set jparallel.ssh.host-key=accept-new to record the keys of new hosts on first connection.";
    }

    /**
     * @return why a changed key was refused, and how to replace the old entry when the change is expected
     * @see #unknownKeyMessage
     */
    public static String changedKeyMessage(String knownHostsName, String keyType, String fingerprint, Path knownHosts) {
        return "THE HOST KEY OF " + knownHostsName + " HAS CHANGED: it now offers " + keyType + " " + fingerprint
                + ", which does not match its entry in " + knownHosts + ". Someone may be intercepting the"
                + " connection, or the host was reinstalled. Refused. If the change is expected, remove the old"
                + " entry and trust the new key:\n    ssh-keygen -R '" + knownHostsName + "' -f " + knownHosts
                + "\n    " + keyscanLine(knownHostsName, keyType, knownHosts);
    }

    /** @return the {@code ssh-keyscan} command that appends the host's key of that type to known_hosts */
    static String keyscanLine(String knownHostsName, String keyType, Path knownHosts) {
        String host = knownHostsName;
        String port = "";
        if (host.startsWith("[")) {
            int close = host.indexOf("]:");
            if (close > 0) {
                port = "-p " + host.substring(close + 2) + " ";
                host = host.substring(1, close);
            }
        }
        return "ssh-keyscan " + port + "-t " + keyscanType(keyType) + " " + host + " >> " + knownHosts;
    }

    /** @return the {@code ssh-keyscan -t} name of a key algorithm: {@code ssh-ed25519} gives {@code ed25519} */
    static String keyscanType(String keyType) {
        String t = keyType.toLowerCase(Locale.ROOT);
        if (t.startsWith("ecdsa")) {
            return "ecdsa";
        }
        if (t.startsWith("rsa-sha2") || t.equals("ssh-rsa")) {
            return "rsa";
        }
        return t.startsWith("ssh-") ? t.substring(4) : t;
    }

    /** @return the known_hosts name of a host: {@code host} for port 22, else {@code [host]:port} */
    public static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** @return a known_hosts line for a key */
    static String knownHostsLine(String knownHostsName, String keyType, byte[] keyBlob) {
        return knownHostsName + " " + keyType + " " + new String(Base64.getEncoder().encode(keyBlob), StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return configName;
    }
}
