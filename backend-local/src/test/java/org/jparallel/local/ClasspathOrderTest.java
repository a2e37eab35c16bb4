package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classpath with directories, reordered for class data sharing (jars first): the order only when no directory
 * holds a name that a jar after it holds too, and only when jparallel's training class is in a jar.
 */
class ClasspathOrderTest {
    @TempDir
    Path tmp;
    /** A jar holding the training JVM's main class, as parallel-core's does. */
    private Path core;
    /** A directory of compiled classes, as target/classes. */
    private Path classes;

    @BeforeEach
    void layOut() throws IOException {
        core = jar("core.jar", ClasspathOrder.TRAINER_ENTRY, "org/jparallel/Manager.class");
        classes = Files.createDirectories(tmp.resolve("classes"));
        Files.createDirectories(classes.resolve("com/example"));
        Files.writeString(classes.resolve("com/example/Main.class"), "x");
        Files.writeString(classes.resolve("settings.properties"), "x");
    }

    private Path jar(String name, String... entries) throws IOException {
        Path jar = tmp.resolve(name);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write(1);
                z.closeEntry();
            }
        }
        return jar;
    }

    private static String cp(Object... entries) {
        StringBuilder b = new StringBuilder();
        for (Object e : entries) {
            b.append(b.length() == 0 ? "" : ":").append(e);
        }
        return b.toString();
    }

    @Test
    void directoriesMoveAfterTheJarsEachKeepingItsOrder() throws Exception {
        Path lib = jar("lib.jar", "org/lib/A.class");
        Path resources = Files.createDirectories(tmp.resolve("resources"));
        Files.writeString(resources.resolve("other.txt"), "x");
        ClasspathOrder order = ClasspathOrder.of(cp(classes, core, resources, lib));
        assertEquals(cp(core, lib), order.jars());
        assertEquals(cp(core, lib, classes, resources), order.reordered());
    }

    @Test
    void noDirectoryWithFilesNeedsNoOrder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertNull(ClasspathOrder.of(cp(core)));
        assertNull(ClasspathOrder.of(cp(empty, core)));
        assertNull(ClasspathOrder.of(cp(tmp.resolve("absent"), core)));
        // a directory holding only directories is not empty to the JVM, which would refuse to archive with it first
        Files.createDirectories(tmp.resolve("packages/com/example"));
        assertEquals(cp(core, tmp.resolve("packages")), ClasspathOrder.of(cp(tmp.resolve("packages"), core)).reordered());
    }

    @Test
    void aClassInADirectoryAndInALaterJarIsRefused() throws Exception {
        Path lib = jar("lib.jar", "com/example/Main.class");
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class,
                () -> ClasspathOrder.of(cp(classes, core, lib)).check());
        assertTrue(e.getMessage().contains(classes.toString()) && e.getMessage().contains(lib.toString())
                && e.getMessage().contains("com/example/Main.class"), e.getMessage());
    }

    @Test
    void aResourceInADirectoryAndInALaterJarIsRefused() throws Exception {
        Path lib = jar("lib.jar", "settings.properties");
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(classes, core, lib)).check());
    }

    @Test
    void serviceProviderFilesMayBeInBoth() throws Exception {
        // ServiceLoader reads every copy: a test's or plugin's own providers beside a library's
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/org.jparallel.spi.WorkerBackend"), "com.example.Mine");
        Path lib = jar("lib.jar", "META-INF/services/org.jparallel.spi.WorkerBackend");
        ClasspathOrder order = ClasspathOrder.of(cp(classes, core, lib));
        order.check();
        assertEquals(cp(core, lib, classes), order.reordered());
    }

    @Test
    void othersServiceProviderFilesInBothAreRefused() throws Exception {
        // SLF4J (and ServiceLoader.findFirst, JAXP) take the first provider found: the order would pick another
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"), "com.example.Log");
        Path lib = jar("lib.jar", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(classes, core, lib)).check());
    }

    @Test
    void aDirectoryReachedThroughSymbolicLinksIsReadAsTheJvmReadsIt() throws Exception {
        Path lib = jar("lib.jar", "com/example/Main.class");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), classes);
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(link, core, lib)).check(),
                "a linked directory's files");
        Path outer = Files.createDirectories(tmp.resolve("outer"));
        Files.createSymbolicLink(outer.resolve("com"), classes.resolve("com"));
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(outer, core, lib)).check(),
                "a linked subdirectory's files");
        Files.createSymbolicLink(classes.resolve("loop"), classes);
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(classes, core)));
        assertTrue(e.getMessage().contains("loops"), e.getMessage());
    }

    @Test
    void aMultiReleaseEntryCountsAsTheNameItServes() throws Exception {
        Path plain = jar("plain.jar", "META-INF/versions/11/com/example/Main.class");
        ClasspathOrder withPlain = ClasspathOrder.of(cp(classes, core, plain));
        withPlain.check(); // a jar that is not multi-release serves no versioned entry, to the JVM either
        assertEquals(cp(core, plain, classes), withPlain.reordered());
        Path multi = tmp.resolve("multi.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        try (OutputStream out = Files.newOutputStream(multi); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new ZipEntry("META-INF/versions/11/com/example/Main.class"));
            j.closeEntry();
        }
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(classes, core, multi)).check());
    }

    @Test
    void aJarBeforeTheDirectoryMayHoldTheSameName() throws Exception {
        // the jar's copy came first on the classpath as given, and still does
        Path lib = jar("lib.jar", "com/example/Main.class", "settings.properties");
        ClasspathOrder order = ClasspathOrder.of(cp(lib, classes, core));
        order.check();
        assertEquals(cp(lib, core, classes), order.reordered());
    }

    @Test
    void aWildcardIsAJarEntryAndItsJarsAreChecked() throws Exception {
        jar("lib/a.jar", "org/a/A.class");
        String wildcard = tmp.resolve("lib") + "/*";
        ClasspathOrder order = ClasspathOrder.of(cp(classes, core, wildcard));
        order.check();
        assertEquals(cp(core, wildcard, classes), order.reordered());
        jar("lib/b.jar", "com/example/Main.class");
        assertThrows(ArchiveKey.Unsupported.class, () -> ClasspathOrder.of(cp(classes, core, wildcard)).check());
    }

    @Test
    void withoutJparallelInAJarNothingCanBeTrained() throws Exception {
        Path lib = jar("lib.jar", "org/lib/A.class");
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class,
                () -> ClasspathOrder.of(cp(classes, lib)).check());
        assertTrue(e.getMessage().contains("jparallel's own classes"), e.getMessage());
    }

    @Test
    void aDirectoryWithTooManyFilesIsNotRead() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.writeString(classes.resolve("data" + i), "x");
        }
        ArchiveKey.Unsupported e = assertThrows(ArchiveKey.Unsupported.class,
                () -> ClasspathOrder.of(cp(classes, core), 6));
        assertTrue(e.getMessage().contains("more than 6 files"), e.getMessage());
        assertEquals(cp(core, classes), ClasspathOrder.of(cp(classes, core), 7).reordered());
    }
}
