package org.jparallel.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The name of the class data sharing archive that fits one worker configuration. A JVM uses an
 * archive only when it is the same JVM and its classpath starts with the archive's, each
 * jar with the size and modification time it had when the archive was written; so the name hashes
 * the java executable and its version, the JVM options and every classpath entry with its size and
 * time. A rebuilt jar gives a new name (a new archive) rather than an archive the JVM would refuse.
 *
 * <p>{@link #of} refuses the configurations the JVM cannot archive or this class cannot name
 * safely: another java than the manager's (its version is unknown), JVM options that already choose
 * class sharing or read options from a file, and a classpath holding a directory with files in it (JDK 17
 * fails to write an archive then). It reads only file attributes, so it is cheap enough for every worker start.
 *
 * @param family the hash of everything but the jars' sizes and times: archives of one family
 *     replace each other
 * @param exact the hash of everything
 */
record ArchiveKey(String family, String exact) {
    /** Why class sharing does not apply to a configuration. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @return the start of this key's file names: the archive is {@code NAME-CHECKSUM.jsa}, its lock
     *     {@code NAME.lock}, an archive being written {@code NAME.*.tmp}
     */
    String baseName() {
        return "worker-" + family + "-" + exact;
    }

    /** @return the start of the file names of this key's family */
    String familyPrefix() {
        return "worker-" + family + "-";
    }

    /**
     * @param javaCommand the words of the command that starts the worker JVM
     * @param jvmOptions the worker's JVM options, those from its environment included
     * @param classpath the worker's classpath
     * @param tls whether the workers' manager runs TLS (its workers load other classes: each kind has its archive)
     * @return the key
     * @throws Unsupported when class sharing cannot be used for this configuration; the message says why
     */
    static ArchiveKey of(List<String> javaCommand, List<String> jvmOptions, String classpath, boolean tls)
            throws Unsupported {
        checkConfiguration(javaCommand, jvmOptions);
        // 2: a static archive of the worker's classes (ArchiveDump); 1 was a dynamic one over the JDK's
        StringBuilder family = new StringBuilder("jparallel-cds-2\n");
        family.append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(System.getProperty("os.arch")).append('\n');
        for (String o : jvmOptions) {
            family.append("option ").append(o).append('\n');
        }
        if (tls) {
            family.append("tls\n");
        }
        StringBuilder files = new StringBuilder();
        for (Path entry : entries(classpath)) {
            family.append("cp ").append(entry).append('\n');
            files.append(describe(entry)).append('\n');
        }
        return new ArchiveKey(hash(family.toString()), hash(family + files.toString()));
    }

    /**
     * The refusals that need no file read: another java than the manager's, JVM options that choose class sharing
     * of their own or read options from a file.
     *
     * @throws Unsupported when class sharing cannot be used with this java and these options; the message says why
     */
    static void checkConfiguration(List<String> javaCommand, List<String> jvmOptions) throws Unsupported {
        checkJava(javaCommand);
        for (String o : jvmOptions) {
            if (choosesClassSharing(o)) {
                throw new Unsupported("the JVM options (the workers' own or from JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS"
                        + " or _JAVA_OPTIONS) already choose class sharing (" + o + ")");
            }
            if (EnvironmentOptions.readsFile(o)) {
                throw new Unsupported("the JVM options read more options from a file (" + o + ")");
            }
        }
    }

    /**
     * Checks what {@link #of} cannot see from file attributes alone: a jar whose manifest adds
     * entries to the classpath ({@code Class-Path}). The JVM checks those as well, so each must be a
     * jar that is on the classpath anyway (its size and time are then in the key, as for an
     * executable jar naming the jars it ships with); an existing directory, or a jar found only
     * through a manifest, makes class sharing unsupported. Reads every jar's manifest, so it is
     * called only before writing an archive.
     *
     * @param classpath the worker's classpath
     * @throws Unsupported when a manifest adds an existing file or directory that is not itself on the classpath
     */
    static void checkManifests(String classpath) throws Unsupported {
        List<Path> jars = new ArrayList<>();
        Set<Path> onClasspath = new HashSet<>();
        for (Path entry : entries(classpath)) {
            if (Files.isRegularFile(entry)) {
                jars.add(entry);
                onClasspath.add(realPath(entry));
            }
        }
        for (Path entry : jars) {
            for (String ref : manifestClassPath(entry)) {
                Path target = referenced(entry, ref);
                if (target != null && Files.exists(target)
                        && (Files.isDirectory(target) || !onClasspath.contains(realPath(target)))) {
                    throw new Unsupported("the jar " + entry + " adds " + ref + " to the classpath in its manifest "
                            + "(Class-Path), which is not on the classpath itself");
                }
            }
        }
    }

    /** @return the words of the jar's {@code Class-Path} manifest attribute; none when it has none or is no jar */
    private static List<String> manifestClassPath(Path jar) {
        try (JarFile j = new JarFile(jar.toFile(), false)) {
            Manifest m = j.getManifest();
            String refs = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return refs == null || refs.isBlank() ? List.of() : List.of(refs.trim().split("\\s+"));
        } catch (IOException e) {
            return List.of(); // not a jar: the JVM ignores it as well
        }
    }

    /** @return the file a {@code Class-Path} word names, relative to the jar's directory; null when not a file URL */
    private static Path referenced(Path jar, String ref) {
        try {
            URI uri = jar.toAbsolutePath().getParent().toUri().resolve(ref);
            return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
        } catch (IllegalArgumentException e) { // also InvalidPathException
            return null;
        }
    }

    /** @throws Unsupported unless the command is the manager's own java, a single executable */
    static void checkJava(List<String> javaCommand) throws Unsupported {
        if (javaCommand.size() != 1) {
            throw new Unsupported("the java command is not a single executable (" + String.join(" ", javaCommand) + ")");
        }
        Path own = Path.of(System.getProperty("java.home"), "bin", "java");
        Path cmd = which(javaCommand.get(0));
        try {
            if (cmd == null || !Files.isSameFile(cmd, own)) {
                throw new Unsupported("workers run another java (" + javaCommand.get(0) + ") than the manager's ("
                        + own + "), of unknown version");
            }
        } catch (IOException e) {
            throw new Unsupported("cannot compare the java command " + javaCommand.get(0) + " with " + own + ": " + e);
        }
    }

    /** @return the executable a command word names, looked up on PATH when it has no slash; null when not found */
    private static Path which(String word) {
        try {
            if (word.contains(File.separator)) {
                return Path.of(word);
            }
            String path = System.getenv("PATH");
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, word);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        } catch (InvalidPathException e) {
            return null;
        }
        return null;
    }

    private static boolean choosesClassSharing(String option) {
        String o = option.toLowerCase(Locale.ROOT);
        return o.startsWith("-xshare") || o.contains("sharedarchivefile") || o.contains("archiveclassesatexit")
                || o.contains("sharedclasslistfile") || o.contains("dumploadedclasslist") || o.contains("usesharedspaces")
                || o.contains("autocreatesharedarchive")
                // Java 24+'s ahead-of-time cache, which the JVM refuses beside a class sharing archive
                || o.startsWith("-xx:aot");
    }

    /** @return the classpath's entries as the launcher sees them, wildcards expanded, empty meaning "." */
    private static List<Path> entries(String classpath) throws Unsupported {
        List<Path> out = new ArrayList<>();
        try {
            for (String e : classpath.split(File.pathSeparator, -1)) {
                String s = e.isEmpty() ? "." : e;
                if (s.equals("*") || s.endsWith(File.separator + "*")) {
                    out.addAll(ClasspathOrder.wildcardJars(s));
                } else {
                    out.add(Path.of(s));
                }
            }
        } catch (InvalidPathException e) {
            throw new Unsupported("the classpath has an entry that is not a path: " + e.getMessage());
        }
        return out;
    }

    /** @return the entry with what the JVM checks of it; throws for a directory with files in it */
    private static String describe(Path entry) throws Unsupported {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (IOException e) {
            return "absent " + entry;
        }
        if (a.isDirectory()) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(entry)) {
                if (d.iterator().hasNext()) {
                    throw new Unsupported("the classpath holds the directory " + entry
                            + "; the JVM archives classes from jar files only");
                }
            } catch (IOException e) {
                throw new Unsupported("cannot read the classpath directory " + entry + ": " + e);
            }
            return "empty directory " + entry;
        }
        return "file " + entry + " " + a.size() + " " + a.lastModifiedTime().toMillis()
                + (Files.isSymbolicLink(entry) ? " link " + realPath(entry) : "");
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
