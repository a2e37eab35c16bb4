package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive directory's safety checks, and archives found only when whole. */
class ArchiveDirectoryTest {
    @TempDir
    Path tmp;

    /** @return bytes that start like a (static) archive */
    private static byte[] fakeArchive(int size, byte fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        b.putInt(ArchiveDirectory.STATIC_ARCHIVE_MAGIC);
        while (b.hasRemaining()) {
            b.put(fill);
        }
        return b.array();
    }

    @Test
    void madeOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a/b/cds");
        ArchiveDirectory.open(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void refusedWhenOthersMayWrite() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> ArchiveDirectory.open(dir));
        assertTrue(e.getMessage().contains("writable by others"), e.getMessage());
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(new org.jparallel.spi.LaunchSpec(List.of(1),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), Files.createFile(tmp.resolve("x.jar")).toString(), "Main", null, 1,
                List.of(), "s", tmp + "/o%d"), EnvironmentOptions.NONE, dir, new ClasspathChecks(), new WorkerProcess(new WorkerEnvironment(), null)),
                "class sharing is off then");
    }

    @Test
    void anUnsafeDirectoryIsToldAsAWarningWithoutTheExceptionsClass() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> ArchiveDirectory.open(dir));
        assertEquals("class data sharing is off for these local workers: " + e.getMessage(), ClassSharing.offReason(e));
        assertTrue(e.getMessage().startsWith("the class data sharing archive directory " + dir.toRealPath()
                + " is not safe: "), e.getMessage());
        assertEquals(org.slf4j.event.Level.WARN, ClassSharing.offLevel(e), "a refusal the user should fix");
        ArchiveKey.Unsupported unsupported = new ArchiveKey.Unsupported("a directory on the classpath");
        assertEquals("class data sharing is off for these local workers: a directory on the classpath",
                ClassSharing.offReason(unsupported));
        assertEquals(org.slf4j.event.Level.INFO, ClassSharing.offLevel(unsupported), "a fact, not a fault");
    }

    @Test
    void refusedWhenAParentIsGroupWritable() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("team"));
        // a team's group, not the user's private one (whose write permission is no one else's): as root (CI) the
        // directory can be given any group; a user may only pick among their groups, so others' write stands in
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Files.setAttribute(parent, "unix:gid", 54321);
        }
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString(root ? "rwxrwxr-x" : "rwxr-xrwx"));
        IOException e = assertThrows(IOException.class, () -> ArchiveDirectory.open(parent.resolve("jparallel/cds")));
        assertTrue(e.getMessage().contains(parent.toRealPath() + " "), e.getMessage());
        assertTrue(e.getMessage().contains("jparallel.local.class-sharing-cache"), e.getMessage());
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(new org.jparallel.spi.LaunchSpec(List.of(1),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), Files.createFile(tmp.resolve("x.jar")).toString(), "Main", null, 1,
                List.of(), "s", tmp + "/o%d"), EnvironmentOptions.NONE, parent.resolve("jparallel/cds"),
                new ClasspathChecks(), new WorkerProcess(new WorkerEnvironment(), null)), "the workers start without an archive");
    }

    @Test
    void acceptedUnderAStickyWorldWritableParent() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("scratch"));
        Files.setAttribute(parent, "unix:mode", 01777);
        ArchiveDirectory dir = ArchiveDirectory.open(parent.resolve("cds"));
        assertEquals(parent.toRealPath().resolve("cds"), dir.path());
    }

    @Test
    void refusedUnderAStickyParentWhenTheEntryBelowIsSomeoneElses() throws Exception {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(tmp, "unix:uid")),
                "only root can give a directory to another user");
        Path parent = Files.createDirectories(tmp.resolve("scratch"));
        Files.setAttribute(parent, "unix:mode", 01777);
        Path theirs = Files.createDirectories(parent.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 54321);
        IOException e = assertThrows(IOException.class, () -> ArchiveDirectory.open(theirs.resolve("cds")));
        // the sticky bit keeps an entry to its owner, here another user, who may replace what is in it
        assertTrue(e.getMessage().contains(": " + theirs.toRealPath() + " belongs to 54321, neither you nor root, who"
                + " can replace " + theirs.toRealPath().resolve("cds") + " in it. "), e.getMessage());
    }

    @Test
    void anArchiveOthersMayWriteIsNotUsedAndIsDeleted() throws Exception {
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        ArchiveKey key = new ArchiveKey("fam", "exact");
        Path written = dir.path().resolve("w.tmp");
        Files.write(written, fakeArchive(8192, (byte) 1));
        Path installed = dir.install(written, key);
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("r--r--r--"));
        assertEquals(installed, dir.find(key), "the JVM writes archives 0444");
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-rw-r--"));
        assertNull(dir.find(key), "one its group may write is not used");
        assertFalse(Files.exists(installed), "and is deleted, so that it is written again");
    }

    @Test
    void anArchiveOfAnotherUserIsNotUsedAndIsDeleted() throws Exception {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(tmp, "unix:uid")),
                "only root can give a file to another user");
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        ArchiveKey key = new ArchiveKey("fam", "exact");
        Path written = dir.path().resolve("w.tmp");
        Files.write(written, fakeArchive(8192, (byte) 1));
        Path installed = dir.install(written, key);
        Files.setAttribute(installed, "unix:uid", 54321);
        assertNull(dir.find(key));
        assertFalse(Files.exists(installed));
    }

    @Test
    void recognisesOnlyWholeArchives() throws Exception {
        Path f = tmp.resolve("f");
        Files.write(f, fakeArchive(8192, (byte) 1));
        assertTrue(ArchiveDirectory.looksLikeArchive(f));
        Files.write(f, fakeArchive(100, (byte) 1));
        assertFalse(ArchiveDirectory.looksLikeArchive(f), "too short for a header");
        byte[] headerless = fakeArchive(8192, (byte) 1);
        headerless[0] = 0; // the JVM writes the header last: a write cut short has none
        Files.write(f, headerless);
        assertFalse(ArchiveDirectory.looksLikeArchive(f));
        assertFalse(ArchiveDirectory.looksLikeArchive(tmp.resolve("absent")));
    }

    @Test
    void installedArchiveIsFoundAndADamagedOneIsDeleted() throws Exception {
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        ArchiveKey key = new ArchiveKey("fam", "exact");
        assertNull(dir.find(key));
        Path written = dir.path().resolve("w.tmp");
        Files.write(written, fakeArchive(8192, (byte) 1));
        Path installed = dir.install(written, key);
        assertFalse(Files.exists(written));
        assertEquals(installed, dir.find(key));
        assertTrue(installed.getFileName().toString().startsWith(key.baseName() + "-"));

        // same size, same header, other content (and another time, as a real change would have)
        Files.write(installed, fakeArchive(8192, (byte) 2));
        Files.setLastModifiedTime(installed, java.nio.file.attribute.FileTime.fromMillis(1000));
        assertNull(dir.find(key), "a damaged archive is never handed to a JVM");
        assertFalse(Files.exists(installed), "and is deleted, so that it is written again");
    }

    @Test
    void keepsTheMostRecentlyWrittenArchivesOnly() throws Exception {
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        List<Path> archives = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path a = dir.path().resolve("worker-f" + i + "-e-00000000.jsa");
            Files.write(a, fakeArchive(8192, (byte) i));
            Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
            archives.add(a);
        }
        Path lock = Files.writeString(dir.path().resolve("worker-f9-e.lock"), "1");
        dir.trim(3, archives.get(0)); // the one just written stays, however old its time
        assertTrue(Files.exists(archives.get(0)));
        assertTrue(Files.exists(archives.get(4)));
        assertTrue(Files.exists(archives.get(3)));
        assertFalse(Files.exists(archives.get(2)));
        assertFalse(Files.exists(archives.get(1)));
        assertTrue(Files.exists(lock), "only archives are trimmed");
    }

    @Test
    void temporaryFilesADayOldAreRemovedWithTheTrim() throws Exception {
        // left by a manager killed while its worker or training wrote an archive, of a configuration never run again
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        Path stale = Files.writeString(dir.path().resolve("worker-f1-e.123-1.tmp"), "x");
        Path staleLog = Files.writeString(dir.path().resolve("worker-f1-e.123-1.log.tmp"), "x");
        long twoDaysAgo = System.currentTimeMillis() - 2 * ArchiveDirectory.STALE_TEMPORARY_MS;
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(twoDaysAgo));
        Files.setLastModifiedTime(staleLog, java.nio.file.attribute.FileTime.fromMillis(twoDaysAgo));
        Path writing = Files.writeString(dir.path().resolve("worker-f2-e.456-1.tmp"), "x");
        Path kept = dir.path().resolve("worker-f3-e-00000000.jsa");
        Files.write(kept, fakeArchive(8192, (byte) 1));
        dir.trim(8, kept);
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleLog));
        assertTrue(Files.exists(writing), "one being written now stays");
    }

    @Test
    void theOldNotesOfFailedTrainingsGoWithTheTrimAndTheNewNotesStay() throws Exception {
        ArchiveDirectory dir = ArchiveDirectory.open(tmp.resolve("cds"));
        Path old = Files.writeString(dir.path().resolve("worker-f1-training-failed"), "e\n");
        Path note = Files.writeString(dir.path().resolve("worker-f2-" + ClassSharing.FAILED_NOTE_SUFFIX), "e\n");
        Path kept = dir.path().resolve("worker-f3-e-00000000.jsa");
        Files.write(kept, fakeArchive(8192, (byte) 1));
        dir.trim(8, kept);
        assertFalse(Files.exists(old), "nothing reads it any more");
        assertTrue(Files.exists(note));
    }
}
