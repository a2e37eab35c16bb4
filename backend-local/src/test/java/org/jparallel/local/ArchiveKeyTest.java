package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What names an archive, and which configurations get none. */
class ArchiveKeyTest {
    private static final List<String> JAVA = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());

    @TempDir
    Path tmp;

    private Path jar(String name, String classPath) throws IOException {
        Path p = tmp.resolve(name);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return p;
    }

    @Test
    void sameConfigurationSameKey() throws Exception {
        String cp = jar("a.jar", null) + ":" + jar("b.jar", null);
        assertEquals(ArchiveKey.of(JAVA, List.of("-Xmx1g"), cp, false), ArchiveKey.of(JAVA, List.of("-Xmx1g"), cp, false));
    }

    @Test
    void rebuiltJarKeepsTheFamilyButChangesTheKey() throws Exception {
        Path a = jar("a.jar", null);
        ArchiveKey before = ArchiveKey.of(JAVA, List.of(), a.toString(), false);
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() - 60_000));
        ArchiveKey after = ArchiveKey.of(JAVA, List.of(), a.toString(), false);
        assertEquals(before.family(), after.family(), "old archives of the family are replaced by the new one");
        assertNotEquals(before.exact(), after.exact(), "the JVM would refuse the old archive");
        assertTrue(after.baseName().startsWith("worker-" + after.family() + "-"));
    }

    @Test
    void optionsAndClasspathOrderAreInTheKey() throws Exception {
        String a = jar("a.jar", null).toString();
        String b = jar("b.jar", null).toString();
        assertNotEquals(ArchiveKey.of(JAVA, List.of(), a + ":" + b, false), ArchiveKey.of(JAVA, List.of(), b + ":" + a, false));
        assertNotEquals(ArchiveKey.of(JAVA, List.of(), a, false).family(), ArchiveKey.of(JAVA, List.of("-Xmx1g"), a, false).family());
        assertNotEquals(ArchiveKey.of(JAVA, List.of(), a, false).family(), ArchiveKey.of(JAVA, List.of(), a, true).family(),
                "workers of a TLS manager load other classes: an archive of their own");
    }

    @Test
    void wildcardCoversTheJarsOfItsDirectory() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.copy(jar("x.jar", null), lib.resolve("x.jar"));
        ArchiveKey before = ArchiveKey.of(JAVA, List.of(), lib + "/*", false);
        Files.copy(jar("y.jar", null), lib.resolve("y.jar"));
        assertNotEquals(before, ArchiveKey.of(JAVA, List.of(), lib + "/*", false), "a jar added to lib/ changes the key");
    }

    @Test
    void directoryWithFilesIsUnsupportedEmptyOneIsFine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("classes"));
        String cp = jar("a.jar", null) + ":" + dir;
        assertDoesNotThrow(() -> ArchiveKey.of(JAVA, List.of(), cp, false));
        Files.writeString(dir.resolve("A.class"), "x");
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.of(JAVA, List.of(), cp, false));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("jar files only"), e.getMessage());
    }

    @Test
    void otherJavaOrClassSharingOptionsAreUnsupported() throws Exception {
        String cp = jar("a.jar", null).toString();
        assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.of(List.of("/bin/sh"), List.of(), cp, false));
        assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.of(List.of("/opt/env.sh", "java"), List.of(), cp, false));
        // and options read from a file, which may choose class sharing unseen
        for (String o : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=/x.jsa",
                "-XX:-UseSharedSpaces", "@/etc/java-options", "-XX:VMOptionsFile=/etc/vm", "-XX:Flags=/etc/hotspotrc")) {
            assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.of(JAVA, List.of(o), cp, false), o);
        }
    }

    /**
     * Java 24+'s ahead-of-time cache cannot be combined with a class sharing archive: a worker with
     * both fails at start ("Option AOTCache cannot be used at the same time with ... SharedArchiveFile").
     */
    @Test
    void aheadOfTimeCacheOptionsLeaveClassSharingToTheUser() throws Exception {
        String cp = jar("a.jar", null).toString();
        for (String o : List.of("-XX:AOTCache=/x.aot", "-XX:AOTCacheOutput=/x.aot", "-XX:AOTMode=record",
                "-XX:AOTConfiguration=/x.aotconf")) {
            assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.of(JAVA, List.of(o), cp, false), o);
        }
    }

    @Test
    void manifestClassPathMustStayWithinTheClasspath() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.copy(jar("dep.jar", null), lib.resolve("dep.jar"));
        Path app = jar("app.jar", "lib/dep.jar lib/missing.jar");
        // like scripts/jparallel: the jars the executable jar names are on the classpath as well
        assertDoesNotThrow(() -> ArchiveKey.checkManifests(lib + "/*:" + app));
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.checkManifests(app.toString()));
        assertTrue(e.getMessage().contains("lib/dep.jar"), e.getMessage());
        Files.createDirectories(tmp.resolve("classes"));
        Path toDir = jar("todir.jar", "classes/");
        assertThrows(ArchiveKey.Unsupported.class, () -> ArchiveKey.checkManifests(toDir.toString()));
    }
}
