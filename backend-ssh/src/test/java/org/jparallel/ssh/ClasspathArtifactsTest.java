package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathArtifactsTest {

    @TempDir
    Path dir;

    @Test
    void cacheNameIsTheSha256OfTheBytes() throws Exception {
        Path f = Files.writeString(dir.resolve("a.jar"), "abc");
        String sha = ClasspathArtifacts.sha256(f);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha);
        assertEquals(sha + ".jar", ClasspathArtifacts.cacheName(sha));
    }

    @Test
    void aPackedDirectoryDependsOnlyOnNamesAndContents() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/org/x"));
        Files.writeString(classes.resolve("A.class"), "A");
        Files.writeString(classes.resolve("B.class"), "B");
        Path j1 = dir.resolve("1.jar");
        ClasspathArtifacts.packDirectory(dir.resolve("classes"), j1);
        Files.setLastModifiedTime(classes.resolve("A.class"), FileTime.fromMillis(1_000_000_000_000L));
        Path j2 = dir.resolve("2.jar");
        ClasspathArtifacts.packDirectory(dir.resolve("classes"), j2);
        assertEquals(ClasspathArtifacts.sha256(j1), ClasspathArtifacts.sha256(j2), "a new mtime changed the jar");
        Files.writeString(classes.resolve("B.class"), "B2");
        Path j3 = dir.resolve("3.jar");
        ClasspathArtifacts.packDirectory(dir.resolve("classes"), j3);
        assertNotEquals(ClasspathArtifacts.sha256(j1), ClasspathArtifacts.sha256(j3), "new content, same jar");
    }

    @Test
    void collectKeepsOrderExpandsWildcardsPacksDirectoriesAndSkipsMissingEntries() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("b.jar"), "b");
        Files.writeString(lib.resolve("a.jar"), "a");
        Path first = Files.writeString(dir.resolve("first.jar"), "first");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("C.class"), "C");
        String cp = String.join(File.pathSeparator, first.toString(), dir.resolve("missing.jar").toString(),
                lib + File.separator + "*", classes.toString(), first.toString());
        List<ClasspathArtifacts.Artifact> as = ClasspathArtifacts.collect(cp, dir.resolve("pack"));
        assertEquals(List.of(first, lib.resolve("a.jar"), lib.resolve("b.jar"), classes),
                as.stream().map(ClasspathArtifacts.Artifact::source).toList());
        ClasspathArtifacts.Artifact packed = as.get(3);
        assertEquals(dir.resolve("pack").resolve(packed.cacheName()), packed.file());
        assertEquals(packed.sha256(), ClasspathArtifacts.sha256(packed.file()));
        assertEquals(Files.size(packed.file()), packed.size());
    }
}
