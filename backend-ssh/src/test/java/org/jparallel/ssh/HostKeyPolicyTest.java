package org.jparallel.ssh;

import static org.jparallel.ssh.HostKeyPolicy.Decision.ACCEPT;
import static org.jparallel.ssh.HostKeyPolicy.Decision.ACCEPT_UNVERIFIED;
import static org.jparallel.ssh.HostKeyPolicy.Decision.RECORD_AND_ACCEPT;
import static org.jparallel.ssh.HostKeyPolicy.Decision.REFUSE_CHANGED;
import static org.jparallel.ssh.HostKeyPolicy.Decision.REFUSE_UNKNOWN;
import static org.jparallel.ssh.HostKeyPolicy.Lookup.CHANGED;
import static org.jparallel.ssh.HostKeyPolicy.Lookup.MATCH;
import static org.jparallel.ssh.HostKeyPolicy.Lookup.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HostKeyPolicyTest {
    /** An ed25519 public key and the fingerprint {@code ssh-keygen -lf} prints for it. */
    static final String KEY1 = "AAAAC3NzaC1lZDI1NTE5AAAAIKh806ERY0p7BbfaBcXOqnxDGO2xDtngHrhH/QJTohxY";
    static final String KEY1_FP = "SHA256:oZqPS3IfXrQz08QEk6moetufL0saHj1hyOguDJ5OZ2Y";
    static final String KEY2 = "AAAAC3NzaC1lZDI1NTE5AAAAIILp/4DM979/cQ9dJPkwO+566yo0RWBiq1+qWo7KYY29";

    @Test
    void decisions() {
        assertEquals(ACCEPT, HostKeyPolicy.STRICT.decide(MATCH));
        assertEquals(REFUSE_UNKNOWN, HostKeyPolicy.STRICT.decide(UNKNOWN));
        assertEquals(REFUSE_CHANGED, HostKeyPolicy.STRICT.decide(CHANGED));
        assertEquals(ACCEPT, HostKeyPolicy.ACCEPT_NEW.decide(MATCH));
        assertEquals(RECORD_AND_ACCEPT, HostKeyPolicy.ACCEPT_NEW.decide(UNKNOWN));
        assertEquals(REFUSE_CHANGED, HostKeyPolicy.ACCEPT_NEW.decide(CHANGED), "accept-new never takes a changed key");
        assertEquals(ACCEPT, HostKeyPolicy.INSECURE.decide(MATCH));
        assertEquals(ACCEPT_UNVERIFIED, HostKeyPolicy.INSECURE.decide(UNKNOWN));
        assertEquals(ACCEPT_UNVERIFIED, HostKeyPolicy.INSECURE.decide(CHANGED));
    }

    @Test
    void parsesConfigNamesAndOpenSshSpellings() {
        assertEquals(HostKeyPolicy.STRICT, HostKeyPolicy.parse("strict"));
        assertEquals(HostKeyPolicy.STRICT, HostKeyPolicy.parse("yes"));
        assertEquals(HostKeyPolicy.ACCEPT_NEW, HostKeyPolicy.parse(" Accept-New "));
        assertEquals(HostKeyPolicy.INSECURE, HostKeyPolicy.parse("insecure"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostKeyPolicy.parse("ask")).getMessage()
                .contains("strict, accept-new or insecure"));
    }

    @Test
    void fingerprintIsTheOneSshKeygenPrints() {
        assertEquals(KEY1_FP, HostKeyPolicy.fingerprint(Base64.getDecoder().decode(KEY1)));
    }

    @Test
    void knownHostsNamesFollowOpenSsh() {
        assertEquals("node1", HostKeyPolicy.knownHostsName("node1", 22));
        assertEquals("[node1]:2222", HostKeyPolicy.knownHostsName("node1", 2222));
    }

    @Test
    void unknownKeyMessageGivesTheFingerprintTheKeyscanLineAndAcceptNew() {
        String m = HostKeyPolicy.unknownKeyMessage("[10.0.0.5]:2222", "ssh-ed25519", KEY1_FP, Path.of("/h/.ssh/known_hosts"));
        assertTrue(m.contains(KEY1_FP), m);
        assertTrue(m.contains("ssh-keyscan -p 2222 -t ed25519 10.0.0.5 >> /h/.ssh/known_hosts"), m);
        assertTrue(m.contains("accept-new"), m);
        String port22 = HostKeyPolicy.unknownKeyMessage("node1", "rsa-sha2-512", KEY1_FP, Path.of("/k"));
        assertTrue(port22.contains("ssh-keyscan -t rsa node1 >> /k"), port22);
    }

    @Test
    void changedKeyMessageSaysSoAndHowToReplaceTheEntry() {
        String m = HostKeyPolicy.changedKeyMessage("[n]:2222", "ecdsa-sha2-nistp256", KEY1_FP, Path.of("/k"));
        assertTrue(m.contains("HAS CHANGED"), m);
        assertTrue(m.contains("ssh-keygen -R '[n]:2222' -f /k"), m);
        assertTrue(m.contains("ssh-keyscan -p 2222 -t ecdsa n >> /k"), m);
    }
}
