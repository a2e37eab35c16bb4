package org.jparallel.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSch's view of known_hosts with a {@link HostKeyPolicy} on top: one instance per connection, so the
 * reason a key was refused can be turned into the connection's error message. Keys of new hosts are
 * appended to the file under {@link HostKeyPolicy#ACCEPT_NEW}; the file is never rewritten. A {@link
 * #readOnly} verifier (for {@code jparallel doctor}) records nothing and keeps a warning instead.
 */
final class KnownHostsVerifier implements HostKeyRepository {
    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsVerifier.class);
    /** Serializes appends to known_hosts files from parallel connections of this JVM. */
    private static final Object APPEND_LOCK = new Object();

    private final HostKeyRepository known;
    private final Path file;
    private final HostKeyPolicy policy;
    private final boolean record;
    private volatile String refusal;
    private volatile String warning;
    private volatile String verdict = "not checked";

    /**
     * @param jsch a JSch instance used only to parse the file
     * @param file the known_hosts file; need not exist
     * @param policy what to do with unknown and changed keys
     * @throws JSchException when the file cannot be parsed
     */
    KnownHostsVerifier(JSch jsch, Path file, HostKeyPolicy policy) throws JSchException {
        this(jsch, file, policy, true);
    }

    private KnownHostsVerifier(JSch jsch, Path file, HostKeyPolicy policy, boolean record) throws JSchException {
        this.file = file;
        this.policy = policy;
        this.record = record;
        if (Files.isRegularFile(file)) {
            jsch.setKnownHosts(file.toString());
        }
        this.known = jsch.getHostKeyRepository();
    }

    /**
     * @param file the known_hosts file; need not exist
     * @param policy what to do with unknown and changed keys
     * @return a verifier that never writes the file: a key the policy would record is accepted with a warning
     * @throws JSchException when the file cannot be parsed
     */
    static KnownHostsVerifier readOnly(Path file, HostKeyPolicy policy) throws JSchException {
        return new KnownHostsVerifier(new JSch(), file, policy, false);
    }

    /** @return why the last key was refused, with how to trust it, or {@code null} when none was */
    String refusal() {
        return refusal;
    }

    /** @return what a read-only verifier did not like about an accepted key (new, or not verified), or {@code null} */
    String warning() {
        return warning;
    }

    /** @return how the last key was accepted: {@code known (TYPE FINGERPRINT)}, {@code new} or {@code NOT verified} */
    String verdict() {
        return verdict;
    }

    @Override
    public int check(String host, byte[] key) {
        int result = known.check(host, key);
        HostKeyPolicy.Lookup lookup = switch (result) {
            case OK -> HostKeyPolicy.Lookup.MATCH;
            case CHANGED -> HostKeyPolicy.Lookup.CHANGED;
            default -> HostKeyPolicy.Lookup.UNKNOWN;
        };
        String type = keyType(host, key);
        String fp = HostKeyPolicy.fingerprint(key);
        switch (policy.decide(lookup)) {
            case ACCEPT:
                verdict = "known (" + type + " " + fp + ")";
                return OK;
            case ACCEPT_UNVERIFIED:
                LOG.debug("accepting unverified host key of {}: {} {}", host, type, fp);
                verdict = "NOT verified";
                warning = "its key is not verified (jparallel.ssh.host-key=insecure)";
                return OK;
            case RECORD_AND_ACCEPT:
                verdict = "new";
                if (record) {
                    record(host, type, key, fp);
                } else {
                    warning = "its key " + type + " " + fp + " is not in " + file + " yet; the first run will record it "
                            + "(jparallel.ssh.host-key=accept-new)";
                }
                return OK;
            case REFUSE_CHANGED:
                refusal = HostKeyPolicy.changedKeyMessage(host, type, fp, file);
                return CHANGED;
            case REFUSE_UNKNOWN:
            default:
                refusal = HostKeyPolicy.unknownKeyMessage(host, type, fp, file);
                return NOT_INCLUDED;
        }
    }

    private void record(String host, String type, byte[] key, String fp) {
        String line = HostKeyPolicy.knownHostsLine(host, type, key) + "\n";
        synchronized (APPEND_LOCK) {
            try {
                // another connection of this run may have recorded the same host a moment ago
                if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).contains(line)) {
                    return;
                }
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (!Files.exists(file)) {
                    try {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                    } catch (UnsupportedOperationException e) {
                        Files.createFile(file);
                    }
                }
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                LOG.info("recorded the new host key of {} ({} {}) in {} (jparallel.ssh.host-key=accept-new)",
                        host, type, fp, file);
            } catch (IOException e) {
                LOG.warn("accepted the new host key of {} ({} {}) but cannot record it in {}: {}", host, type, fp, file,
                        e.toString());
            }
        }
    }

    /** @return the key's algorithm name, e.g. {@code ssh-ed25519} */
    static String keyType(String host, byte[] key) {
        try {
            return new HostKey(host, key).getType();
        } catch (JSchException e) {
            return "unknown-key-type";
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        if (record) {
            known.add(hostkey, ui);
        }
    }

    @Override
    public void remove(String host, String type) {
        if (record) {
            known.remove(host, type);
        }
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        if (record) {
            known.remove(host, type, key);
        }
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return known.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return known.getHostKey(host, type);
    }
}
