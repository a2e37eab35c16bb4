package org.jparallel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a directory, and every directory above it, is safe from other users, as OpenSSH's
 * StrictModes checks a home directory. Checking the directory alone is not enough: whoever may write
 * to one of its parents can rename it away and put their own in its place after the check.
 *
 * <p>The directory itself must belong to this user and be writable by no one else. Each parent up to
 * {@code /} must belong to this user or to root and be writable by no one else, unless it has the
 * sticky bit (as {@code /tmp}, 1777, has): then only an entry's owner, the sticky directory's owner or
 * root may rename it, and the entry below belongs to this user or root by the rules above (so
 * {@code /tmp/probe} made by root is safe, {@code /tmp/shared} of another user is not).
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
     *     user, with no other member and no other user's primary group: the convention of systems whose umask is
     *     002, Fedora's and RHEL's among them), whose write permission lets no one else in ({@link Identity})
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
            // sticky: only the entry's owner, this directory's owner or root may rename the entry below, and the
            // rules above made each of them me or root (the entry below is the directory itself, mine, or a parent
            // refused at its own step when another user's)
        }
        return null;
    }

    /**
     * @param file a file in the checked directory, its links not followed
     * @return why it is not to be trusted (not a regular file, not this user's, or writable by others: the JVM
     *     writes archives 0444); {@code null} when it is
     * @throws IOException when its attributes cannot be read
     */
    static String fileProblem(Path file) throws IOException {
        Identity me = Identity.current();
        Map<String, Object> a = Files.readAttributes(file, "unix:uid,mode,isRegularFile", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if (!(Boolean) a.get("isRegularFile")) {
            return file + " is not a regular file";
        }
        String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        if (!me.owns((Integer) a.get("uid"), owner)) {
            return file + " belongs to " + owner + ", not to you";
        }
        if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
            return file + " is writable by others (" + modeString(mode & 07777) + ")";
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
     * Where {@link #read} gets a directory's attributes: the file system, or a test's table.
     */
    interface Source {
        /**
         * @param p a directory, its links not followed
         * @return its owner's uid, its group's gid and its mode ({@code unix:mode}, file type bits included)
         * @throws IOException when they cannot be read
         */
        Stat stat(Path p) throws IOException;

        /**
         * @param p a directory
         * @return its owner's name: asked only for a message, or when this user is known by name only
         * @throws IOException when it cannot be read
         */
        String ownerName(Path p) throws IOException;

        /**
         * @param p a directory whose group may write to it
         * @param gid its group
         * @return whether that group is this user's private group ({@link Dir#privateGroup})
         * @throws IOException when its name cannot be read
         */
        boolean privateGroup(Path p, int gid) throws IOException;
    }

    /**
     * A directory's numbers, as one {@code unix:uid,gid,mode} read gives them.
     *
     * @param uid its owner
     * @param gid its group
     * @param mode its {@code unix:mode}
     */
    record Stat(int uid, int gid, int mode) {
    }

    /** The file system, as this user sees it: one attribute read per directory, names only when needed. */
    private record FileSystem(Identity me) implements Source {
        @Override
        public Stat stat(Path p) throws IOException {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) a.get("uid"), (Integer) a.get("gid"), (Integer) a.get("mode"));
        }

        @Override
        public String ownerName(Path p) throws IOException {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        }

        @Override
        public boolean privateGroup(Path p, int gid) throws IOException {
            // primaryGroup first so the group's name is read only for my primary group; privateGroup checks it again
            return me.primaryGroup(gid) && me.privateGroup(gid,
                    Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName());
        }
    }

    /**
     * Reads the owner and mode of the directory and each parent from the file system: one
     * {@code unix:uid,gid,mode} read per directory (five reads and three name lookups each took ~113 us per start
     * wave). Needs the {@code unix} attribute view (every Unix JDK has it; the sticky bit is in no other view).
     *
     * @param dir the directory, symbolic links already resolved ({@link Path#toRealPath})
     * @return the directory and its parents up to {@code /}
     * @throws IOException when one cannot be read, or it cannot be told who this user is
     */
    static List<Dir> read(Path dir) throws IOException {
        Identity me = Identity.current();
        return read(dir, me, new FileSystem(me));
    }

    /**
     * @param dir the directory
     * @param me this user
     * @param source the directories' attributes
     * @return the directory and its parents up to {@code /}; an owner's name is looked up only when a message may
     *     name it (another user's) or when {@code me} has no uid; root is "root"
     * @throws IOException when one cannot be read
     */
    static List<Dir> read(Path dir, Identity me, Source source) throws IOException {
        List<Dir> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            Stat st = source.stat(p);
            String name = me.uid() == null ? source.ownerName(p) : null;
            Owner owner = me.owns(st.uid(), name) ? Owner.ME : st.uid() == 0 ? Owner.ROOT : Owner.OTHER;
            if (name == null) {
                name = owner == Owner.ME ? me.name() : owner == Owner.ROOT ? "root" : source.ownerName(p);
            }
            int mode = st.mode() & 07777;
            // the group matters only when it may write
            boolean privateGroup = (mode & GROUP_WRITE) != 0 && source.privateGroup(p, st.gid());
            chain.add(new Dir(p, owner, name, mode, privateGroup));
        }
        return chain;
    }
}
