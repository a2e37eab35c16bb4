package org.jparallel.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies classpath jars over SFTP into a content-addressed cache on the remote host, {@value
 * #CACHE_DIR}{@code /<sha256>.jar} under the remote user's home, skipping every jar already there.
 * An upload goes to a temporary name first and is renamed into place, so a worker never sees a
 * half-written jar, and two managers shipping at once do not trip over each other.
 */
public final class JarShipper {
    private static final Logger LOG = LoggerFactory.getLogger(JarShipper.class);
    /** The cache directory, relative to the remote user's home. */
    public static final String CACHE_DIR = ".cache/jparallel/jars";

    /**
     * What one shipping did.
     *
     * @param remoteClasspath the shipped jars' remote paths, in classpath order, joined with {@code :}
     * @param uploaded how many jars were uploaded
     * @param skipped how many jars were already in the cache
     * @param uploadedBytes how many bytes were uploaded
     */
    public record Report(String remoteClasspath, int uploaded, int skipped, long uploadedBytes) {
    }

    private JarShipper() {
    }

    /**
     * @param sftp a connected SFTP channel
     * @param artifacts the jars, in classpath order
     * @param where user@host:port, for the log
     * @return the remote classpath and what was uploaded
     * @throws SshSetupException when the cache cannot be made or an upload fails
     */
    static Report ship(ChannelSftp sftp, List<ClasspathArtifacts.Artifact> artifacts, String where)
            throws SshSetupException {
        String home;
        try {
            home = sftp.getHome();
        } catch (SftpException e) {
            throw new SshSetupException("cannot find the home directory of " + where + " over SFTP: " + e.getMessage(), e);
        }
        String dir = home + "/" + CACHE_DIR;
        mkdirs(sftp, home, CACHE_DIR, where);
        Map<String, Long> present = list(sftp, dir, where);
        List<String> paths = new ArrayList<>();
        int uploaded = 0;
        int skipped = 0;
        long bytes = 0;
        long t0 = System.nanoTime();
        for (ClasspathArtifacts.Artifact a : artifacts) {
            String name = a.cacheName();
            String target = dir + "/" + name;
            paths.add(target);
            Long size = present.get(name);
            if (size != null && size == a.size()) {
                skipped++;
                continue;
            }
            String tmp = dir + "/.upload-" + UUID.randomUUID() + ".tmp";
            try {
                sftp.put(a.file().toString(), tmp);
                try {
                    sftp.rename(tmp, target);
                } catch (SftpException renameFailed) {
                    // another manager put the same content there meanwhile, or a bad copy sits there
                    SftpATTRS attrs = stat(sftp, target);
                    if (attrs == null || attrs.getSize() != a.size()) {
                        rmQuietly(sftp, target);
                        sftp.rename(tmp, target);
                    } else {
                        rmQuietly(sftp, tmp);
                    }
                }
                present.put(name, a.size());
                uploaded++;
                bytes += a.size();
                LOG.debug("uploaded {} as {} to {}", a.source(), name, where);
            } catch (SftpException e) {
                rmQuietly(sftp, tmp);
                throw new SshSetupException("cannot upload " + a.source() + " to " + where + ":" + target + ": "
                        + e.getMessage() + " (is the disk full or the home directory not writable?)", e);
            }
        }
        LOG.info("shipped the classpath to {}: uploaded {} ({} KiB), skipped {} already in ~/{} ({} ms)", where,
                uploaded, bytes / 1024, skipped, CACHE_DIR, (System.nanoTime() - t0) / 1_000_000);
        return new Report(String.join(":", paths), uploaded, skipped, bytes);
    }

    private static void mkdirs(ChannelSftp sftp, String home, String rel, String where) throws SshSetupException {
        String cur = home;
        for (String part : rel.split("/")) {
            cur = cur + "/" + part;
            if (stat(sftp, cur) == null) {
                try {
                    sftp.mkdir(cur);
                    sftp.chmod(0700, cur);
                } catch (SftpException e) {
                    if (stat(sftp, cur) == null) {
                        throw new SshSetupException("cannot create " + cur + " on " + where + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    private static Map<String, Long> list(ChannelSftp sftp, String dir, String where) throws SshSetupException {
        Map<String, Long> out = new HashMap<>();
        try {
            Vector<ChannelSftp.LsEntry> entries = sftp.ls(dir);
            for (ChannelSftp.LsEntry e : entries) {
                if (e.getFilename().endsWith(".jar") && !e.getAttrs().isDir()) {
                    out.put(e.getFilename(), e.getAttrs().getSize());
                }
            }
        } catch (SftpException e) {
            throw new SshSetupException("cannot list " + dir + " on " + where + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static SftpATTRS stat(ChannelSftp sftp, String path) {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            return null;
        }
    }

    private static void rmQuietly(ChannelSftp sftp, String path) {
        try {
            sftp.rm(path);
        } catch (SftpException e) {
            LOG.trace("cannot remove {}: {}", path, e.toString());
        }
    }
}
