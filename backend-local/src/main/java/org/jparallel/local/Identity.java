package org.jparallel.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's user, as {@link SafePath} needs it to tell whose a directory is: the uid when it can be
 * told, else the name; and whether a group is the user's private one. Read once.
 *
 * @param uid the user's uid, {@code null} when unknown
 * @param gid the user's primary gid, {@code null} when unknown
 * @param name the user's name, {@code null} when unknown (a uid without a passwd entry)
 */
record Identity(Long uid, Long gid, String name) {
    private static final Identity CURRENT = find();

    /**
     * @return this process's user
     * @throws IOException when it cannot be told
     */
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
            return of(unix.getUid(), unix.getGid(), unix.getUsername(), procSelfUid());
        } catch (LinkageError | RuntimeException e) {
            // a runtime without the jdk.security.auth module: go by the user's name
            String name = ProcessHandle.current().info().user().orElse(null);
            return name == null ? null : new Identity(null, null, name);
        }
    }

    private static Integer procSelfUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The JDK's word is taken only with a user name: for a uid that has no passwd entry (a container run as
     * {@code --user N}, OpenShift) JDK 17's {@code UnixSystem} says uid 0, gid 0 and no name, which would
     * take the process for root. Then {@code /proc/self}, which belongs to the process's uid, tells it.
     *
     * @param unixUid the uid {@code UnixSystem} gives
     * @param unixGid the gid it gives
     * @param unixName the name it gives, {@code null} when it found none
     * @param procSelfUid the owner of {@code /proc/self}, {@code null} when it cannot be read
     * @return the user; {@code null} when it cannot be told
     */
    static Identity of(long unixUid, long unixGid, String unixName, Integer procSelfUid) {
        if (unixName != null) {
            return new Identity(unixUid, unixGid, unixName);
        }
        return procSelfUid == null ? null : new Identity(Integer.toUnsignedLong(procSelfUid), null, null);
    }

    /**
     * @param groupGid a directory's group
     * @param groupName that group's name
     * @return whether it is this user's private group: the primary group, named as the user, with no other
     *     member and the primary group of no other user ({@link #privateGroup(String, String, String, long)})
     */
    boolean privateGroup(int groupGid, String groupName) {
        return privateGroup(groupGid, groupName, EtcFiles.GROUP, EtcFiles.PASSWD);
    }

    /** {@link #privateGroup(int, String)} by the given texts of {@code /etc/group} and {@code /etc/passwd}. */
    boolean privateGroup(int groupGid, String groupName, String etcGroup, String etcPasswd) {
        // SafePath.FileSystemSource checks primaryGroup already (to skip the name read); checked again so this stands alone
        return primaryGroup(groupGid) && name.equals(groupName) && privateGroup(etcGroup, etcPasswd, name, gid);
    }

    /** @return whether {@code groupGid} is this user's primary group (known with the user's name): no name read yet */
    boolean primaryGroup(int groupGid) {
        return gid != null && name != null && gid == Integer.toUnsignedLong(groupGid);
    }

    /** @return whether this user has the uid, or the name when the uid is unknown */
    boolean owns(int ownerUid, String ownerName) {
        return uid != null ? uid == Integer.toUnsignedLong(ownerUid) : name.equals(ownerName);
    }

    /**
     * Whether a group lets no one but the user in, as Debian's OpenSSH ({@code user-group-modes}) decides:
     * {@code /etc/group} has the gid under the user's name only, with no member but the user, and no
     * other {@code /etc/passwd} entry has it as primary group. A group these files do not hold (LDAP,
     * sssd) or files that cannot be read let no write permission through.
     *
     * @param etcGroup the text of {@code /etc/group}, {@code null} when unreadable
     * @param etcPasswd the text of {@code /etc/passwd}, {@code null} when unreadable
     * @param user the user's name
     * @param gid the group
     * @return whether the group is the user's alone
     */
    static boolean privateGroup(String etcGroup, String etcPasswd, String user, long gid) {
        if (etcGroup == null || etcPasswd == null) {
            return false;
        }
        boolean found = false;
        for (String line : etcGroup.split("\n")) {
            String[] f = line.split(":", -1); // name:password:gid:members
            if (f.length < 4 || !sameId(f[2], gid)) {
                continue;
            }
            if (!f[0].equals(user)) {
                return false;
            }
            for (String member : f[3].trim().split(",")) {
                if (!member.isEmpty() && !member.equals(user)) {
                    return false;
                }
            }
            found = true;
        }
        if (!found) {
            return false;
        }
        for (String line : etcPasswd.split("\n")) {
            String[] f = line.split(":", -1); // name:password:uid:gid:...
            if (f.length >= 4 && sameId(f[3], gid) && !f[0].equals(user)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameId(String field, long id) {
        try {
            return Long.parseLong(field.trim()) == id;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code /etc/group} and {@code /etc/passwd}, read once when first needed; {@code null} when unreadable. */
    private static final class EtcFiles {
        static final String GROUP = read("/etc/group");
        static final String PASSWD = read("/etc/passwd");

        private static String read(String file) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
