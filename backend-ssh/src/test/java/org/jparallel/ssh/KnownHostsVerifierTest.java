package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy applied to a real known_hosts file through JSch's parser. */
class KnownHostsVerifierTest {
    private static final byte[] KEY1 = Base64.getDecoder().decode(HostKeyPolicyTest.KEY1);
    private static final byte[] KEY2 = Base64.getDecoder().decode(HostKeyPolicyTest.KEY2);
    private static final String HOST = "[127.0.0.1]:2222";

    @TempDir
    Path dir;

    private Path knownHosts() throws Exception {
        return Files.writeString(dir.resolve("known_hosts"), HOST + " ssh-ed25519 " + HostKeyPolicyTest.KEY1 + "\n");
    }

    @Test
    void strictAcceptsAKnownKeyAndRefusesUnknownAndChangedOnesSayingWhy() throws Exception {
        Path file = knownHosts();
        KnownHostsVerifier v = new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.STRICT);
        assertEquals(HostKeyRepository.OK, v.check(HOST, KEY1));
        assertNull(v.refusal());

        assertEquals(HostKeyRepository.CHANGED, v.check(HOST, KEY2));
        assertTrue(v.refusal().contains("HAS CHANGED"), v.refusal());

        v = new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.STRICT);
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("[other]:2222", KEY2));
        assertTrue(v.refusal().contains("is not in " + file), v.refusal());
        assertTrue(v.refusal().contains("ssh-keyscan -p 2222 -t ed25519 other >> " + file), v.refusal());
        assertEquals(1, Files.readAllLines(file).size(), "strict never writes");
    }

    @Test
    void acceptNewRecordsANewHostOnceButStillRefusesAChangedKey() throws Exception {
        Path file = knownHosts();
        KnownHostsVerifier v = new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.ACCEPT_NEW);
        assertEquals(HostKeyRepository.OK, v.check("[new]:2222", KEY2));
        assertEquals(HostKeyRepository.OK, new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.ACCEPT_NEW)
                .check("[new]:2222", KEY2));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(HOST + " ssh-ed25519 " + HostKeyPolicyTest.KEY1,
                "[new]:2222 ssh-ed25519 " + HostKeyPolicyTest.KEY2), lines);

        KnownHostsVerifier again = new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.ACCEPT_NEW);
        assertEquals(HostKeyRepository.CHANGED, again.check(HOST, KEY2));
        assertTrue(again.refusal().contains("HAS CHANGED"), again.refusal());
    }

    @Test
    void acceptNewCreatesAMissingFile() throws Exception {
        Path file = dir.resolve("sub/known_hosts");
        assertEquals(HostKeyRepository.OK, new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.ACCEPT_NEW)
                .check("node1", KEY1));
        assertEquals(List.of("node1 ssh-ed25519 " + HostKeyPolicyTest.KEY1), Files.readAllLines(file));
    }

    @Test
    void insecureAcceptsAnythingAndWritesNothing() throws Exception {
        Path file = knownHosts();
        KnownHostsVerifier v = new KnownHostsVerifier(new JSch(), file, HostKeyPolicy.INSECURE);
        assertEquals(HostKeyRepository.OK, v.check(HOST, KEY2));
        assertEquals(HostKeyRepository.OK, v.check("[other]:1", KEY2));
        assertEquals(1, Files.readAllLines(file).size());
        assertFalse(v.refusal() != null);
    }

    @Test
    void aReadOnlyVerifierAcceptsANewKeyUnderAcceptNewWithAWarningAndWritesNothing() throws Exception {
        Path file = knownHosts();
        KnownHostsVerifier v = KnownHostsVerifier.readOnly(file, HostKeyPolicy.ACCEPT_NEW);
        assertEquals(HostKeyRepository.OK, v.check("[new]:2222", KEY2));
        assertEquals("new", v.verdict());
        assertTrue(v.warning().contains("is not in " + file + " yet; the first run will record it"), v.warning());
        assertEquals(1, Files.readAllLines(file).size(), "doctor never writes known_hosts");

        KnownHostsVerifier known = KnownHostsVerifier.readOnly(file, HostKeyPolicy.STRICT);
        assertEquals(HostKeyRepository.OK, known.check(HOST, KEY1));
        assertTrue(known.verdict().startsWith("known (ssh-ed25519 SHA256:"), known.verdict());
        assertNull(known.warning());
    }
}
