package org.jparallel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a directory, and every directory above it, is safe from other users, as OpenSSH's
 * StrictModes checks a home directory. Checking the directory alone is not enough: whoever may write
 * to one of its parents can rename it away and put their own in its place after the check.
 *
 * <p>The directory itself must belong to this user and be writable by no one else. Each parent up to
 * {@code /} must belong to this user or to root and be writable by no one else, unless it has the
 * sticky bit (as {@code /tmp}, 1777, has): then only an entry's owner may rename it, so the directory
 * right below it must belong to this user.
 */
final class SafePath {
    /** Who owns a directory, as far as the check cares. */
    enum Owner { ME, ROOT, OTHER }

    /**
     * One directory of the path.
     *
     * @param path the directory
     * @param owner who owns it
     * @param ownerName its owner's name, for messages
     * @param mode its permission bits, with the sticky bit ({@code 01000})
     * @param privateGroup whether its group is this user's private group (the user's primary group, named as the
     *     user: the convention of systems whose umask is 002, Fedora's and RHEL's among them), whose write
     *     permission lets no one else in
     */
    record Dir(Path path, Owner owner, String ownerName, int mode, boolean privateGroup) {
        Dir(Path path, Owner owner, String ownerName, int mode) {
            this(path, owner, ownerName, mode, false);
        }

        /** @return whether someone else than its owner may write to it */
        boolean writableByOthers() {
            return (mode & OTHERS_WRITE) != 0 || ((mode & GROUP_WRITE) != 0 && !privateGroup);
        }
    }

    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;

    private SafePath() {
    }

    /**
     * @param chain the directory first, then each parent up to {@code /}, symbolic links resolved
     * @return why the directory is not safe, naming the directory at fault and what to do; {@code null}
     *     when it is safe
     */
    static String problem(List<Dir> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Dir d = chain.get(i);
            boolean othersWrite = d.writableByOthers();
            if (i == 0) {
                if (d.owner() != Owner.ME) {
                    return d.path() + " belongs to " + d.ownerName() + ", not to you";
                }
                if (othersWrite) {
                    return d.path() + " is writable by others (" + modeString(d.mode()) + "); make it rwx------ (chmod 700 "
                            + d.path() + ")";
                }
                continue;
            }
            Path below = chain.get(i - 1).path();
            if (d.owner() == Owner.OTHER) {
                return d.path() + " belongs to " + d.ownerName() + ", neither you nor root, who can replace " + below
                        + " in it";
            }
            if (othersWrite && (d.mode() & STICKY) == 0) {
                return d.path() + " is writable by others (" + modeString(d.mode()) + ", no sticky bit), who can replace "
                        + below + " in it; remove their write permission (chmod go-w " + d.path() + ")";
            }
            if (othersWrite && chain.get(i - 1).owner() != Owner.ME) {
                return d.path() + " is writable by others (" + modeString(d.mode()) + ") and " + below + " in it belongs to "
                        + chain.get(i - 1).ownerName() + ", not to you, so its sticky bit does not keep it yours";
            }
        }
        return null;
    }

    /** @return the mode as {@code rwxrwxrwt} and octal, e.g. {@code rwxrwxr-x 0775} */
    static String modeString(int mode) {
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-');
            boolean x = (bits & 1) != 0;
            s.append(shift == 0 && (mode & STICKY) != 0 ? (x ? 't' : 'T') : (x ? 'x' : '-'));
        }
        return s + String.format(" %04o", mode & 07777);
    }

    /**
     * Reads the owner and mode of the directory and each parent from the file system. Needs the
     * {@code unix} attribute view (every Unix JDK has it; the sticky bit is in no other view).
     *
     * @param dir the directory, symbolic links already resolved ({@link Path#toRealPath})
     * @return the directory and its parents up to {@code /}
     * @throws IOException when one cannot be read, or it cannot be told who this user is
     */
    static List<Dir> read(Path dir) throws IOException {
        Identity me = Identity.current();
        List<Dir> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            String name = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
            String group = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName();
            Owner owner = me.owns(uid, name) ? Owner.ME : uid == 0 ? Owner.ROOT : Owner.OTHER;
            chain.add(new Dir(p, owner, name, mode & 07777, me.privateGroup(gid, group)));
        }
        return chain;
    }

    /** This process's user: its uid when the JDK tells it, else its name (read once). */
    private record Identity(Long uid, Long gid, String name) {
        private static final Identity CURRENT = find();

        static Identity current() throws IOException {
            if (CURRENT == null) {
                throw new IOException("cannot tell which user this process runs as, so cannot check who owns the"
                        + " directory");
            }
            return CURRENT;
        }

        private static Identity find() {
            try {
                com.sun.security.auth.module.UnixSystem unix = new com.sun.security.auth.module.UnixSystem();
                return new Identity(unix.getUid(), unix.getGid(), unix.getUsername());
            } catch (LinkageError | RuntimeException e) {
                // a runtime without the jdk.security.auth module: go by the user's name
                String name = ProcessHandle.current().info().user().orElse(null);
                return name == null ? null : new Identity(null, null, name);
            }
        }

        /** @return whether a group is this user's private one: the primary group, named as the user */
        boolean privateGroup(int groupGid, String groupName) {
            return gid != null && name != null && gid == Integer.toUnsignedLong(groupGid) && name.equals(groupName);
        }

        boolean owns(int ownerUid, String ownerName) {
            return uid != null ? uid == Integer.toUnsignedLong(ownerUid) : name.equals(ownerName);
        }
    }
}
