package org.jparallel.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user directory holding the workers' class data sharing archives. An archive is code the
 * worker JVMs map and run, so the directory is made readable and writable by its owner only, and is
 * refused when it belongs to someone else or others may write to it or to a directory above it
 * ({@link SafePath}): whoever can replace an archive can run code in every worker.
 *
 * <p>The JVM checks an archive's header but trusts the rest: a damaged archive with an intact header
 * crashes the worker at start. So each archive's name carries a CRC-32C of its
 * content, written when it is moved into place and checked before the first use in this JVM; an
 * archive that fails the check is deleted, and the next start writes a new one.
 */
final class ArchiveDirectory {
    /** The directory is refused as not safe: others could replace its archives. Says why and what to do. */
    static final class Unsafe extends IOException {
        private static final long serialVersionUID = 1L;

        Unsafe(String message) {
            super(message);
        }
    }

    /** The first bytes of a JDK static archive (0xf00baba2 in the platform's byte order), written last. */
    static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;
    /** Smaller files are not archives: the header alone takes a page. */
    static final long MIN_ARCHIVE_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveDirectory.class);
    /** Archives whose checksum this JVM has checked, with the size, time and file key it was checked at. */
    private static final Map<Path, String> CHECKED = new ConcurrentHashMap<>();

    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private final Path path;

    private ArchiveDirectory(Path path) {
        this.path = path;
    }

    /** @return the directory */
    Path path() {
        return path;
    }

    /**
     * @return {@code $XDG_CACHE_HOME/jparallel/cds} when that variable holds an absolute path, else
     *     {@code ~/.cache/jparallel/cds}
     */
    static Path defaultLocation() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jparallel").resolve("cds");
    }

    /**
     * Creates the directory when absent (mode 0700) and checks that only this user can change what is
     * in it: that it and each directory above it, symbolic links resolved, are safe ({@link SafePath}).
     *
     * @param dir the directory
     * @return the directory, checked; its path is the real one, which the workers are given
     * @throws Unsafe when it is not safe to use, with a message for the user
     * @throws IOException when it cannot be made or checked
     */
    static ArchiveDirectory open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Set<String> views = FileSystems.getDefault().supportedFileAttributeViews();
        boolean posix = views.contains("posix");
        if (!Files.isDirectory(abs)) {
            if (posix) {
                Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(abs);
            }
        }
        Path real = abs.toRealPath();
        if (views.contains("unix")) {
            String problem = SafePath.problem(SafePath.read(real));
            if (problem != null) {
                throw new Unsafe("the class data sharing archive directory " + real + " is not safe: " + problem
                        + ". Fix that, or set jparallel.local.class-sharing-cache (LocalWorker.classSharingCache) to a"
                        + " directory only you can write: whoever can replace its archives runs code in every local worker");
            }
        } else if (posix) {
            // No unix view, so no sticky bit to tell /tmp from a directory anyone may rename things in (every
            // Unix JDK has the view; this is some other POSIX file system): check the directory alone, as before.
            String owner = Files.getOwner(real).getName();
            String me = ProcessHandle.current().info().user().orElse(null);
            if (me != null && !owner.equals(me)) {
                throw new Unsafe(real + " belongs to " + owner + ", not to " + me);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(real);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new Unsafe(real + " is writable by others (" + PosixFilePermissions.toString(perms)
                        + "); make it rwx------");
            }
        }
        // else Windows: no owner or mode bits to check; a profile's directories are private by default (ACLs)
        return new ArchiveDirectory(real);
    }

    /**
     * @param key the configuration
     * @return the key's archive, its checksum checked; {@code null} when there is none that is whole and
     *     this user's alone (damaged ones, and ones of another user or that others may write, are deleted)
     */
    Path find(ArchiveKey key) {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(path, key.baseName() + "-*.jsa")) {
            for (Path f : found) {
                String untrusted = UNIX ? SafePath.fileProblem(f) : null;
                if (untrusted != null) {
                    // someone else's file, or one others could change, in the user's own directory: worth a look
                    LOG.warn("Not using the class data sharing archive {}, deleting it: {}. Check who could write to"
                            + " {}.", f, untrusted, path);
                    CHECKED.remove(f);
                    Files.deleteIfExists(f);
                    continue;
                }
                if (intact(f, key)) {
                    return f;
                }
                LOG.warn("the class data sharing archive {} is damaged; deleting it so that it is written again", f);
                CHECKED.remove(f);
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.debug("cannot look for archives in {}: {}", path, e.toString());
        }
        return null;
    }

    private static boolean intact(Path f, ArchiveKey key) throws IOException {
        String name = f.getFileName().toString();
        String expected = name.substring(key.baseName().length() + 1, name.length() - ".jsa".length());
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        String stamp = a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey();
        if (stamp.equals(CHECKED.get(f))) {
            return true;
        }
        boolean ok = looksLikeArchive(f) && expected.equals(checksum(f));
        if (ok) {
            CHECKED.put(f, stamp);
        }
        return ok;
    }

    /**
     * Moves a complete archive into place under its final name in one atomic rename.
     *
     * @param written the archive written
     * @param key its configuration
     * @return the archive's final path
     * @throws IOException when it cannot be read or moved
     */
    Path install(Path written, ArchiveKey key) throws IOException {
        Path target = path.resolve(key.baseName() + "-" + checksum(written) + ".jsa");
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Keeps the directory from growing without end (an archive takes about 10 MB, and each
     * classpath, java or set of JVM options has its own): deletes the least recently written
     * archives beyond {@code max}, never {@code keep}. One deleted while still in use is written
     * again by the next run that needs it.
     *
     * @param max how many archives to keep
     * @param keep the archive just written
     */
    void trim(int max, Path keep) {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(path, "*.jsa")) {
            found.forEach(archives::add);
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", path, e.toString());
            return;
        }
        archives.remove(keep);
        removeStaleTemporaryFiles();
        archives.sort(Comparator.comparing(ArchiveDirectory::lastModified).reversed());
        for (Path old : archives.subList(Math.min(archives.size(), Math.max(0, max - 1)), archives.size())) {
            try {
                Files.deleteIfExists(old);
                CHECKED.remove(old);
                LOG.debug("removed the class data sharing archive {} (more than {} kept)", old, max);
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", old, e.toString());
            }
        }
    }

    /** How old a temporary file (an archive or a training's log being written) must be to count as left behind. */
    static final long STALE_TEMPORARY_MS = 24L * 3600 * 1000;

    /**
     * Deletes temporary files a day old: left by a run whose JVM was killed while an archive was written, of a
     * configuration never started again (whose lock's clean-up would remove them).
     */
    private void removeStaleTemporaryFiles() {
        // the notes of failed trainings before 2026-12-08 ("archive-failed" since), which nothing reads any more
        try (DirectoryStream<Path> found = Files.newDirectoryStream(path, "*-training-failed")) {
            for (Path f : found) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.debug("cannot clean {}: {}", path, e.toString());
        }
        long before = System.currentTimeMillis() - STALE_TEMPORARY_MS;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(path, "*.tmp")) {
            for (Path f : found) {
                if (lastModified(f) < before) {
                    Files.deleteIfExists(f);
                    LOG.debug("removed {}, left by a run that ended while writing it", f);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot clean {}: {}", path, e.toString());
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** @return the CRC-32C of the file's content, as 8 hex digits */
    static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long pos = 0; pos < size; pos += CHUNK) {
                crc.update(ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(CHUNK, size - pos)));
            }
        }
        return String.format("%08x", crc.getValue());
    }

    private static final long CHUNK = 64L << 20;

    /**
     * @param file a file
     * @return true when it is at least a header long and starts with the static archive's magic
     *     number ({@link ArchiveDump}); the JVM writes the header last, so an archive cut short fails this test
     */
    static boolean looksLikeArchive(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < MIN_ARCHIVE_BYTES) {
                return false;
            }
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read the 4 bytes
            }
            return !b.hasRemaining() && b.getInt(0) == STATIC_ARCHIVE_MAGIC;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
