package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jparallel.modelcheck.ModelRunner;
import org.jparallel.modelcheck.ModelRunner.Step;
import org.junit.jupiter.api.Test;

/**
 * {@link SafePath#read} and {@link SafePath#problem} against a small model of their own: random chains of
 * directories from {@code /} down (owned by me, root or another user; any mode, group and other write and the sticky
 * bit among them; a group that is my private one, a shared one, root's; and me with my private primary group or,
 * sometimes, the shared one), read through a table instead of the file system, are safe exactly when no one but me
 * or root can rename or replace a component, and the directory itself is mine. Run by the project's
 * {@link ModelRunner} (not jqwik: see its Javadoc); each step adds a directory below the chain, and every chain along
 * the way is checked. {@code -Dmodel.safe-path.seed=N} replays one.
 */
class SafePathPropertyTest {
    private static final int ME = 1000;
    private static final int BOB = 1001;
    private static final int CAROL = 1003;
    /** My primary group, named as me, no other member, no one else's primary group. */
    private static final int MY_GROUP = 1000;
    /** A group I share with bob (a member, and his primary group); sometimes my primary group too. */
    private static final int STAFF = 50;
    private static final String ETC_GROUP = "root:x:0:\nstaff:x:50:me,bob\nme:x:1000:\ncarol:x:1003:\n";
    private static final String ETC_PASSWD = "root:x:0:0::/root:/bin/sh\nme:x:1000:1000::/home/me:/bin/sh\n"
            + "bob:x:1001:50::/home/bob:/bin/sh\ncarol:x:1003:1003::/home/carol:/bin/sh\n";
    private static final Map<Integer, String> USERS = Map.of(0, "root", ME, "me", BOB, "bob", CAROL, "carol");
    private static final Map<Integer, String> GROUPS = Map.of(0, "root", MY_GROUP, "me", STAFF, "staff", CAROL, "carol");
    private static final int[] UIDS = {ME, 0, BOB, CAROL};
    private static final int[] GIDS = {MY_GROUP, STAFF, 0, CAROL};
    private static final int[] USUAL_MODES = {0700, 0755, 0775, 0777, 01777, 0770, 0711, 01775, 0750, 0757};

    /** One directory's attributes as the table gives them. */
    record Component(Path path, int uid, int gid, int mode) {
        @Override
        public String toString() {
            return String.format("%s %s:%s %04o", path, USERS.get(uid), GROUPS.get(gid), mode & 07777);
        }
    }

    /** A chain from {@code /} down (the last is the checked directory), who I am, and what the table was asked. */
    static final class Chain implements SafePath.Source {
        final List<Component> fromRoot = new ArrayList<>();
        final Map<Path, Component> byPath = new HashMap<>();
        /**
         * Known by my uid and primary group, or (a runtime without jdk.security.auth) by my name only. The primary
         * group is my private one, or sometimes the shared STAFF: then no group is mine alone, though STAFF is my
         * primary group (a check of "my primary group" alone would pass it).
         */
        final Identity me;
        /** My primary group, or -1 when I am known by name only. */
        final int myGid;
        int nameLookups;

        Chain(boolean byName, boolean sharedPrimaryGroup) {
            myGid = byName ? -1 : sharedPrimaryGroup ? STAFF : MY_GROUP;
            me = byName ? new Identity(null, null, "me") : new Identity((long) ME, (long) myGid, "me");
        }

        void add(int uid, int gid, int mode) {
            Path p = fromRoot.isEmpty() ? Path.of("/") : fromRoot.get(fromRoot.size() - 1).path().resolve(
                    "d" + fromRoot.size());
            Component c = new Component(p, uid, gid, 040000 | mode); // unix:mode has the file type bits
            fromRoot.add(c);
            byPath.put(p, c);
        }

        @Override
        public SafePath.Stat stat(Path p) {
            Component c = byPath.get(p);
            return new SafePath.Stat(c.uid(), c.gid(), c.mode());
        }

        @Override
        public String ownerName(Path p) {
            nameLookups++;
            return USERS.get(byPath.get(p).uid());
        }

        @Override
        public boolean privateGroup(Path p, int gid) {
            return me.privateGroup(gid, GROUPS.get(gid), ETC_GROUP, ETC_PASSWD);
        }

        @Override
        public String toString() {
            return (me.uid() == null ? "by name: " : myGid == STAFF ? "primary group staff: " : "") + fromRoot;
        }
    }

    @Test
    void safeExactlyWhenNoOneElseCanRenameOrReplaceAComponent() {
        ModelRunner.of("safe-path", r -> {
                    Chain c = new Chain(r.nextInt(8) == 0, r.nextInt(4) == 0);
                    c.add(r.nextInt(10) == 0 ? BOB : 0, 0, r.nextInt(6) == 0 ? r.nextInt(010000) : 0755); // "/"
                    return c;
                })
                .action(1, c -> true, SafePathPropertyTest::directoryBelow)
                .invariant(SafePathPropertyTest::verdictAsTheModel)
                .replayWith("-pl backend-local -am test -Dtest=SafePathPropertyTest")
                .check(ModelRunner.Settings.fromSystemProperties("safe-path", 3000, 7, 300, 10));
    }

    private static Step<Chain> directoryBelow(Chain c, Random r) {
        int uid = r.nextInt(3) == 0 ? UIDS[r.nextInt(UIDS.length)] : ME;
        int gid = GIDS[r.nextInt(GIDS.length)];
        int mode = r.nextBoolean() ? USUAL_MODES[r.nextInt(USUAL_MODES.length)] : r.nextInt(010000);
        return Step.of(String.format("below: uid %d gid %d mode %04o", uid, gid, mode), s -> s.add(uid, gid, mode));
    }

    private static void verdictAsTheModel(Chain c) {
        Path dir = c.fromRoot.get(c.fromRoot.size() - 1).path();
        c.nameLookups = 0;
        String problem;
        try {
            problem = SafePath.problem(SafePath.read(dir, c.me, c));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        boolean safe = modelSafe(c);
        assertEquals(safe, problem == null, () -> c + ": the model says " + (safe ? "safe" : "unsafe")
                + ", SafePath says " + problem);
        if (problem != null) {
            assertTrue(c.fromRoot.stream().anyMatch(d -> problem.startsWith(d.path() + " ")),
                    () -> "the message names the directory at fault first: " + problem);
        } else if (c.me.uid() != null) {
            assertEquals(0, c.nameLookups, () -> c + ": a safe chain needs no owner's name");
        }
    }

    /**
     * The model: an attacker is any user but me and root. They may write to a directory they own (they can chmod
     * it), one writable by others, or one writable by its group unless that group is known to be mine alone. In a
     * directory they may write, they can rename or replace an entry, unless the sticky bit is set and they own
     * neither the directory nor the entry. The checked directory must be mine and not writable by them at all (they
     * could put their own files in it, sticky or not).
     */
    private static boolean modelSafe(Chain c) {
        List<Component> l = c.fromRoot;
        Component dir = l.get(l.size() - 1);
        if (dir.uid() != ME || attackerWrites(c, dir)) {
            return false;
        }
        for (int i = 0; i + 1 < l.size(); i++) {
            Component parent = l.get(i);
            Component entry = l.get(i + 1);
            boolean sticky = (parent.mode() & 01000) != 0;
            if (attackerWrites(c, parent) && (!sticky || attackerOwns(parent) || attackerOwns(entry))) {
                return false;
            }
        }
        return true;
    }

    private static boolean attackerOwns(Component d) {
        return d.uid() != ME && d.uid() != 0;
    }

    private static boolean attackerWrites(Chain c, Component d) {
        // my private group is mine alone only while it is my primary group; by name only, the group is not known
        boolean groupMineAlone = c.myGid == MY_GROUP && d.gid() == MY_GROUP;
        return attackerOwns(d) || (d.mode() & 0002) != 0 || ((d.mode() & 0020) != 0 && !groupMineAlone);
    }
}
