package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.local.SafePath.Dir;
import org.jparallel.local.SafePath.Owner;
import org.junit.jupiter.api.Test;

/**
 * The directory-and-parents check on owners and modes given as values, so that it means the same when
 * the tests run as root (who owns everything they make) as when they run as a user.
 */
class SafePathTest {
    /** @return the chain of {@code path}: each entry is "owner mode", the directory first, {@code /} last */
    private static List<Dir> chain(String path, String... ownersAndModes) {
        List<Dir> chain = new ArrayList<>();
        Path p = Path.of(path);
        for (String om : ownersAndModes) {
            String[] f = om.split(" ");
            Owner owner = Owner.valueOf(f[0]);
            chain.add(new Dir(p, owner, owner == Owner.OTHER ? "mallory" : owner.name().toLowerCase(),
                    Integer.parseInt(f[1], 8)));
            p = p.getParent();
        }
        assertNull(p, "one entry for each directory up to /");
        return chain;
    }

    @Test
    void aUsualCacheUnderAHomeIsSafe() {
        assertNull(SafePath.problem(chain("/home/me/.cache/jparallel/cds",
                "ME 0700", "ME 0700", "ME 0755", "ME 0750", "ROOT 0755", "ROOT 0755")));
    }

    @Test
    void aStickyWorldWritableParentIsSafeWhenTheEntryBelowIsMine() {
        assertNull(SafePath.problem(chain("/tmp/mine/cds", "ME 0700", "ME 0755", "ROOT 1777", "ROOT 0755")));
    }

    @Test
    void aStickyParentKeepsAnEntryOfRootsOrOfItsOwnersToThem() {
        // /tmp/probe made by root: only root, or /tmp's owner, may rename it
        assertNull(SafePath.problem(chain("/tmp/probe/cds", "ME 0700", "ROOT 0755", "ROOT 1777", "ROOT 0755")));
        assertNull(SafePath.problem(chain("/home/me/tmp/x/cds",
                "ME 0700", "ME 0755", "ME 1777", "ME 0755", "ROOT 0755", "ROOT 0755")), "a sticky directory of mine");
    }

    @Test
    void aStickyParentDoesNotProtectAnEntryOfAnotherUser() {
        String why = SafePath.problem(chain("/tmp/shared/cds", "ME 0700", "OTHER 0755", "ROOT 1777", "ROOT 0755"));
        assertEquals("/tmp/shared belongs to mallory, neither you nor root, who can replace /tmp/shared/cds in it", why);
    }

    @Test
    void aGroupWritableParentIsRefusedAtThatParent() {
        String why = SafePath.problem(chain("/home/me/.cache/jparallel/cds",
                "ME 0700", "ME 0700", "ME 0775", "ME 0755", "ROOT 0755", "ROOT 0755"));
        assertEquals("/home/me/.cache is writable by others (rwxrwxr-x 0775, no sticky bit), who can replace"
                + " /home/me/.cache/jparallel in it; remove their write permission (chmod go-w /home/me/.cache)", why);
    }

    @Test
    void aGroupWritableParentOfMyPrivateGroupIsSafe() {
        // umask 002 systems (Fedora, RHEL): ~/.cache is rwxrwxr-x, its group the user's own
        List<Dir> chain = new ArrayList<>(chain("/home/me/.cache/jparallel/cds",
                "ME 0700", "ME 0700", "ME 0775", "ME 0700", "ROOT 0755", "ROOT 0755"));
        Dir cache = chain.get(2);
        chain.set(2, new Dir(cache.path(), cache.owner(), cache.ownerName(), cache.mode(), true));
        assertNull(SafePath.problem(chain));
        chain.set(2, new Dir(cache.path(), cache.owner(), cache.ownerName(), 0777, true));
        assertTrue(SafePath.problem(chain).startsWith("/home/me/.cache is writable by others"), "others' write");
    }

    @Test
    void aWorldWritableRootIsRefused() {
        String why = SafePath.problem(chain("/cds", "ME 0700", "ROOT 0777"));
        assertTrue(why.startsWith("/ is writable by others (rwxrwxrwx 0777, no sticky bit)"), why);
    }

    @Test
    void aParentOfSomeoneElseIsRefusedEvenWhenOnlyTheyMayWrite() {
        String why = SafePath.problem(chain("/scratch/team/cds", "ME 0700", "OTHER 0755", "ROOT 0755", "ROOT 0755"));
        assertEquals("/scratch/team belongs to mallory, neither you nor root, who can replace /scratch/team/cds in it",
                why);
    }

    @Test
    void theDirectoryItselfMustBeMineAndWritableByNoOneElse() {
        assertEquals("/d belongs to root, not to you", SafePath.problem(chain("/d", "ROOT 0700", "ROOT 0755")));
        assertEquals("/d is writable by others (rwxrwxrwt 1777); make it rwx------ (chmod 700 /d)",
                SafePath.problem(chain("/d", "ME 1777", "ROOT 0755")), "a sticky bit does not help there");
        assertEquals("/d is writable by others (rwx-w---- 0720); make it rwx------ (chmod 700 /d)",
                SafePath.problem(chain("/d", "ME 0720", "ROOT 0755")));
    }
}
