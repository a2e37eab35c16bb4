package org.jparallel.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * A workers' classpath that holds directories with files in them (an IDE's or Maven's {@code target/classes}), in
 * the order class data sharing can use. The JVM writes no archive once it has loaded a class from such a directory,
 * but it uses an archive written with a classpath of jars only when the classpath it runs with starts with those
 * jars; so such workers run with the classpath's jars first, in their order, then its directories, in theirs, and
 * the archive is written from the jars alone ({@link #jars()}, by a training JVM: {@link ArchiveTraining}).
 *
 * <p>The reordered classpath finds the same classes and resources as the one given only when no directory holds a
 * file that a jar after it holds as well (the directory's copy comes first on the classpath as given, the jar's on
 * the reordered one: a class patched in {@code target/classes}, a {@code logback.xml} beside a library's). {@link
 * #of} checks every such pair and refuses the reordering when one shares a name, but for service provider files
 * ({@code META-INF/services}), of which {@code ServiceLoader} reads every copy: there only the order in which the
 * providers come changes. It looks each directory file's name up in the later jars, once per group and manager
 * (the caller keeps the answer).
 *
 * @param jars the classpath's entries other than directories, in their order (the archive's classpath)
 * @param reordered {@link #jars()} followed by the classpath's directories (the workers' classpath)
 */
record ClasspathOrder(String jars, String reordered) {
    /** A directory with more files than this is not read (a data directory on the classpath): no class sharing. */
    static final int MAX_DIRECTORY_FILES = 50_000;
    /**
     * Where service providers are named: every copy on the classpath counts ({@code ServiceLoader} reads them all),
     * so a directory and a jar may both hold one; only the order of their providers changes.
     */
    static final String SERVICES = "META-INF/services/";
    /** The main class of the training JVM, which must come from one of the jars. */
    static final String TRAINER_ENTRY = ArchiveTraining.MAIN_CLASS.replace('.', '/') + ".class";

    /**
     * @param classpath the workers' classpath
     * @return the reordering, or {@code null} when the classpath holds no directory with files in it (the archive
     *     is then written by a worker, with the classpath as it is)
     * @throws ArchiveKey.Unsupported when the reordering would change what the workers load, or no archive could be
     *     trained from the jars; the message says why
     */
    static ClasspathOrder of(String classpath) throws ArchiveKey.Unsupported {
        return of(classpath, MAX_DIRECTORY_FILES);
    }

    /** {@link #of(String)} with another limit of files per directory (for tests). */
    static ClasspathOrder of(String classpath, int maxDirectoryFiles) throws ArchiveKey.Unsupported {
        List<Entry> entries = entries(classpath);
        List<String> jarWords = new ArrayList<>();
        List<String> dirWords = new ArrayList<>();
        boolean filesInDirectories = false;
        for (Entry e : entries) {
            if (e.directory()) {
                dirWords.add(e.word());
                filesInDirectories |= !isEmpty(e.paths().get(0));
            } else {
                jarWords.add(e.word());
            }
        }
        if (!filesInDirectories) {
            return null;
        }
        Map<String, Path> firstDirectoryOf = new HashMap<>(); // file name -> the first directory holding it
        boolean trainerInAJar = false;
        for (Entry e : entries) {
            if (e.directory()) {
                Path dir = e.paths().get(0);
                for (String name : fileNames(dir, maxDirectoryFiles)) {
                    if (!name.startsWith(SERVICES)) {
                        firstDirectoryOf.putIfAbsent(name, dir);
                    }
                }
                continue;
            }
            for (Path jar : e.paths()) {
                trainerInAJar |= checkJar(jar, firstDirectoryOf);
            }
        }
        if (!trainerInAJar) {
            throw new ArchiveKey.Unsupported("jparallel's own classes are in a directory of the classpath, not in a"
                    + " jar (the archive is written from the jars alone)");
        }
        String jars = String.join(File.pathSeparator, jarWords);
        return new ClasspathOrder(jars, jars + File.pathSeparator + String.join(File.pathSeparator, dirWords));
    }

    /**
     * @param names each file name of the directories before this jar, with the first directory holding it
     * @return true when the jar holds the training JVM's main class
     * @throws ArchiveKey.Unsupported when the jar holds a name a directory before it holds
     */
    private static boolean checkJar(Path jar, Map<String, Path> names) throws ArchiveKey.Unsupported {
        if (!Files.isRegularFile(jar)) {
            return false; // absent: the JVM skips it as well
        }
        // looked up by name (the directories hold few names, a jar may hold thousands); as the JVM of this runtime
        // version reads a multi-release jar, so that a name it serves from META-INF/versions counts
        try (JarFile j = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
            for (Map.Entry<String, Path> e : names.entrySet()) {
                if (j.getJarEntry(e.getKey()) != null) {
                    throw new ArchiveKey.Unsupported("the classpath directory " + e.getValue() + " and the jar " + jar
                            + " after it both hold " + e.getKey() + " (workers start from an archive only with the"
                            + " jars first, where the jar's copy would be found instead)");
                }
            }
            return j.getJarEntry(TRAINER_ENTRY) != null;
        } catch (IOException e) {
            return false; // not a zip file: the JVM finds nothing in it either
        }
    }

    /** @return the names of the directory's files, relative to it, with {@code /} between the parts */
    private static List<String> fileNames(Path dir, int max) throws ArchiveKey.Unsupported {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (names.size() == max) {
                    throw new ArchiveKey.Unsupported("the classpath directory " + dir + " holds more than " + max
                            + " files");
                }
                names.add(dir.relativize(f).toString().replace(File.separatorChar, '/'));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveKey.Unsupported("cannot read the classpath directory " + dir + ": " + e);
        }
        return names;
    }

    private static boolean isEmpty(Path dir) throws ArchiveKey.Unsupported {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveKey.Unsupported("cannot read the classpath directory " + dir + ": " + e);
        }
    }

    /**
     * One word of the classpath.
     *
     * @param word as given
     * @param directory whether it is a directory
     * @param paths what it stands for: the directory, the file, or a wildcard's jars in the launcher's order
     */
    private record Entry(String word, boolean directory, List<Path> paths) {
    }

    private static List<Entry> entries(String classpath) throws ArchiveKey.Unsupported {
        List<Entry> out = new ArrayList<>();
        try {
            for (String w : classpath.split(File.pathSeparator, -1)) {
                String s = w.isEmpty() ? "." : w;
                if (s.equals("*") || s.endsWith(File.separator + "*")) {
                    out.add(new Entry(w, false, wildcardJars(s)));
                } else {
                    Path p = Path.of(s);
                    out.add(new Entry(w, Files.isDirectory(p), List.of(p)));
                }
            }
        } catch (InvalidPathException e) {
            throw new ArchiveKey.Unsupported("the classpath has an entry that is not a path: " + e.getMessage());
        }
        return out;
    }

    /** @return the jars a {@code DIR/*} word stands for, as the launcher expands it (sorted here, as in the key) */
    private static List<Path> wildcardJars(String word) {
        String d = word.substring(0, word.length() - 1);
        try (Stream<Path> files = Files.list(Path.of(d.isEmpty() ? "." : d))) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")).sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // an unreadable wildcard directory adds nothing, for the launcher as well
        }
    }
}
