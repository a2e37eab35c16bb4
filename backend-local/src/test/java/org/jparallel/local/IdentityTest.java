package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Who this process is, and whether a group is its user's private one, from values and file texts. */
class IdentityTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\n"
            + "alice:x:12345:12345:Alice:/home/alice:/bin/bash\n"
            + "bob:x:12346:12346:Bob:/home/bob:/bin/bash\n";
    private static final String GROUP = "root:x:0:\nalice:x:12345:\nbob:x:12346:\nusers:x:100:alice,bob\n";

    @Test
    void aUserWithAPasswdEntryIsWhoTheJdkSays() {
        assertEquals(new Identity(12345L, 12345L, "alice"), Identity.of(12345, 12345, "alice", 12345));
    }

    @Test
    void aUidWithoutAPasswdEntryIsTakenFromProcSelfNotTakenForRoot() {
        // JDK 17's UnixSystem in a container run as a uid with no passwd entry: uid 0, gid 0, no name
        Identity me = Identity.of(0, 0, null, 12345);
        assertEquals(new Identity(12345L, null, null), me);
        assertTrue(me.owns(12345, "12345"));
        assertFalse(me.owns(0, "root"));
        assertFalse(me.privateGroup(0, "root"), "no private group without a name");
    }

    @Test
    void aPrivateGroupIsNamedAsTheUserWithNoOtherMember() {
        assertTrue(Identity.privateGroup(GROUP, PASSWD, "alice", 12345));
        assertTrue(Identity.privateGroup("alice:x:12345:alice\n", PASSWD, "alice", 12345), "the user as member");
    }

    @Test
    void aGroupWithAnotherMemberIsNotPrivate() {
        assertFalse(Identity.privateGroup("alice:x:12345:bob\n", PASSWD, "alice", 12345));
        assertFalse(Identity.privateGroup("alice:x:12345:alice,bob\n", PASSWD, "alice", 12345));
    }

    @Test
    void aGroupThatIsAnotherUsersPrimaryGroupIsNotPrivate() {
        assertFalse(Identity.privateGroup(GROUP, PASSWD + "carol:x:12347:12345::/home/carol:/bin/sh\n", "alice",
                12345));
    }

    @Test
    void aGroupNotInEtcGroupOrNamedOtherwiseIsNotPrivate() {
        assertFalse(Identity.privateGroup("root:x:0:\n", PASSWD, "alice", 12345), "LDAP, sssd: not in the file");
        assertFalse(Identity.privateGroup("staff:x:12345:\n", PASSWD, "alice", 12345));
        assertFalse(Identity.privateGroup(GROUP + "staff:x:12345:\n", PASSWD, "alice", 12345), "a second name");
        assertFalse(Identity.privateGroup(null, PASSWD, "alice", 12345), "unreadable");
        assertFalse(Identity.privateGroup(GROUP, null, "alice", 12345), "unreadable");
    }
}
