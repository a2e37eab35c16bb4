package org.jparallel.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
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
 * #check} looks each directory file's name up in the later jars and refuses the reordering when one is there, but for
 * jparallel's own service provider files ({@code META-INF/services/org.jparallel...}), of which jparallel reads every
 * copy, by name. {@link #of} reads only the directories (symbolic links followed, as the JVM follows them), so it is
 * cheap enough for every start; {@link #check} opens the jars, so its verdict is kept ({@link #fingerprint}).
 */
final class ClasspathOrder {
    /** A directory with more files than this is not read (a data directory on the classpath): no class sharing. */
    static final int MAX_DIRECTORY_FILES = 5_000;
    /**
     * Service provider files a directory and a later jar may both hold: jparallel reads every copy (its backends by
     * name), so their order does not matter. Others' may: SLF4J, JAXP or {@code ServiceLoader.findFirst} take the
     * first provider found.
     */
    static final String OWN_SERVICES = "META-INF/services/org.jparallel.";
    /** The main class of the training JVM, which must come from one of the jars. */
    static final String TRAINER_ENTRY = ArchiveTraining.MAIN_CLASS.replace('.', '/') + ".class";
    private static final String VERSIONS = "META-INF/versions/";

    private final List<Entry> entries;
    private final String jars;
    private final String reordered;
    private final String fingerprint;

    private ClasspathOrder(List<Entry> entries, String jars, String reordered, String fingerprint) {
        this.entries = entries;
        this.jars = jars;
        this.reordered = reordered;
        this.fingerprint = fingerprint;
    }

    /** @return the classpath's entries other than directories, in their order (the archive's classpath) */
    String jars() {
        return jars;
    }

    /** @return {@link #jars()} followed by the classpath's directories (the workers' classpath) */
    String reordered() {
        return reordered;
    }

    /**
     * @return a hash of the classpath's words and of the names of the files in its directories: with the jars' sizes
     *     and times (the archive's key) it decides {@link #check}'s verdict, which can so be kept
     */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * @param classpath the workers' classpath
     * @return the reordering, or {@code null} when the classpath holds no directory with files in it (the archive
     *     is then written by a worker, with the classpath as it is)
     * @throws ArchiveKey.Unsupported when a directory cannot be read or holds too many files; the message says why
     */
    static ClasspathOrder of(String classpath) throws ArchiveKey.Unsupported {
        return of(classpath, MAX_DIRECTORY_FILES);
    }

    /** {@link #of(String)} with another limit of files per directory (for tests). */
    static ClasspathOrder of(String classpath, int maxDirectoryFiles) throws ArchiveKey.Unsupported {
        List<Entry> entries = entries(classpath, maxDirectoryFiles);
        List<String> jarWords = new ArrayList<>();
        List<String> dirWords = new ArrayList<>();
        boolean filesInDirectories = false;
        StringBuilder print = new StringBuilder(classpath).append('\n');
        for (Entry e : entries) {
            if (e.names() != null) {
                dirWords.add(e.word());
                // the JVM's empty: nothing in it, not even a directory (an empty package's directory counts)
                filesInDirectories |= !e.names().isEmpty() || !isEmpty(e.paths().get(0));
                print.append("dir ").append(e.word()).append('\n');
                e.names().forEach(n -> print.append(n).append('\n'));
            } else {
                jarWords.add(e.word());
            }
        }
        if (!filesInDirectories) {
            return null;
        }
        String jars = String.join(File.pathSeparator, jarWords);
        return new ClasspathOrder(entries, jars, jars + File.pathSeparator + String.join(File.pathSeparator, dirWords),
                hash(print.toString()));
    }

    /**
     * Checks that the reordered classpath finds what the one given finds, and that the training JVM can run from the
     * jars. Opens every jar after the first directory: keep the verdict.
     *
     * @throws ArchiveKey.Unsupported when a directory holds a name a jar after it holds, or jparallel's training
     *     class is in no jar
     */
    void check() throws ArchiveKey.Unsupported {
        Map<String, Path> firstDirectoryOf = new HashMap<>(); // file name -> the first directory holding it
        boolean trainerInAJar = false;
        for (Entry e : entries) {
            if (e.names() != null) {
                for (String name : e.names()) {
                    if (!name.startsWith(OWN_SERVICES)) {
                        firstDirectoryOf.putIfAbsent(name, e.paths().get(0));
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
        // as the JVM of this runtime version reads a multi-release jar: a name it serves from META-INF/versions counts
        try (JarFile j = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
            if (j.size() < names.size()) { // fewer entries than names: walk the entries
                boolean multiRelease = j.isMultiRelease();
                boolean trainer = false;
                for (Enumeration<JarEntry> it = j.entries(); it.hasMoreElements(); ) {
                    String name = served(it.nextElement().getName(), multiRelease);
                    trainer |= TRAINER_ENTRY.equals(name);
                    clash(names.get(name), jar, name);
                }
                return trainer;
            }
            for (Map.Entry<String, Path> e : names.entrySet()) {
                clash(j.getJarEntry(e.getKey()) != null ? e.getValue() : null, jar, e.getKey());
            }
            return j.getJarEntry(TRAINER_ENTRY) != null;
        } catch (IOException e) {
            return false; // not a zip file: the JVM finds nothing in it either
        }
    }

    private static void clash(Path dir, Path jar, String name) throws ArchiveKey.Unsupported {
        if (dir != null) {
            throw new ArchiveKey.Unsupported("the classpath directory " + dir + " and the jar " + jar + " after it both"
                    + " hold " + name + " (workers start from an archive only with the jars first, where the jar's"
                    + " copy would be found instead)");
        }
    }

    /** @return the name an entry serves this runtime: a versioned entry's unversioned name in a multi-release jar */
    private static String served(String name, boolean multiRelease) {
        if (!multiRelease || !name.startsWith(VERSIONS)) {
            return name;
        }
        int slash = name.indexOf('/', VERSIONS.length());
        try {
            int version = Integer.parseInt(name.substring(VERSIONS.length(), slash));
            return version <= Runtime.version().feature() ? name.substring(slash + 1) : name;
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return name;
        }
    }

    /**
     * One word of the classpath.
     *
     * @param word as given
     * @param paths what it stands for: the directory, the file, or a wildcard's jars in the launcher's order
     * @param names the names of a directory's files, relative to it with {@code /} between the parts (sorted), or
     *     {@code null} when it is no directory
     */
    private record Entry(String word, List<Path> paths, List<String> names) {
    }

    private static List<Entry> entries(String classpath, int maxFiles) throws ArchiveKey.Unsupported {
        List<Entry> out = new ArrayList<>();
        try {
            for (String w : classpath.split(File.pathSeparator, -1)) {
                String s = w.isEmpty() ? "." : w;
                if (s.equals("*") || s.endsWith(File.separator + "*")) {
                    out.add(new Entry(w, wildcardJars(s), null));
                } else {
                    Path p = Path.of(s);
                    out.add(new Entry(w, List.of(p), Files.isDirectory(p) ? fileNames(p, maxFiles) : null));
                }
            }
        } catch (InvalidPathException e) {
            throw new ArchiveKey.Unsupported("the classpath has an entry that is not a path: " + e.getMessage());
        }
        return out;
    }

    /** @return the names of the directory's files, relative to it, with {@code /} between the parts, sorted */
    private static List<String> fileNames(Path dir, int max) throws ArchiveKey.Unsupported {
        List<String> names = new ArrayList<>();
        try {
            Path real = dir.toRealPath();
            try (Stream<Path> files = Files.walk(real, FileVisitOption.FOLLOW_LINKS)) { // as the JVM's loader follows them
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (names.size() == max) {
                        throw new ArchiveKey.Unsupported("the classpath directory " + dir + " holds more than " + max
                                + " files");
                    }
                    names.add(real.relativize(f).toString().replace(File.separatorChar, '/'));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new ArchiveKey.Unsupported("cannot read the classpath directory " + dir + ": "
                    + (cause instanceof FileSystemLoopException ? "a symbolic link loops back into it" : cause));
        }
        names.sort(null);
        return names;
    }

    private static boolean isEmpty(Path dir) throws ArchiveKey.Unsupported {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveKey.Unsupported("cannot read the classpath directory " + dir + ": " + e);
        }
    }

    /** @return the jars a {@code DIR/*} word stands for, as the launcher expands it (sorted here, as in the key) */
    static List<Path> wildcardJars(String word) {
        String d = word.substring(0, word.length() - 1);
        try (Stream<Path> files = Files.list(Path.of(d.isEmpty() ? "." : d))) {
            // the launcher takes names ending in .jar or .JAR
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")
                    || p.getFileName().toString().endsWith(".JAR")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // an unreadable wildcard directory adds nothing, for the launcher as well
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
