package org.jparallel.ssh;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's side of shipping a classpath: each entry as one jar named by the SHA-256 of its
 * bytes. Jar files are used as they are; a class directory is packed into a jar whose bytes depend
 * only on its files' names and contents (sorted entries, fixed times), so an unchanged directory
 * gets the same name on every run and is not uploaded again.
 */
final class ClasspathArtifacts {
    private static final Logger LOG = LoggerFactory.getLogger(ClasspathArtifacts.class);
    /** 1980-02-01 00:00 UTC: every packed entry gets this time (the zip format cannot store earlier ones). */
    private static final long FIXED_TIME = 318_211_200_000L;

    /**
     * One classpath entry ready to upload.
     *
     * @param source the classpath entry (a jar or a directory)
     * @param file the jar to upload: {@code source} itself, or the packed directory
     * @param sha256 the hex SHA-256 of {@code file}
     * @param size the size of {@code file} in bytes
     */
    record Artifact(Path source, Path file, String sha256, long size) {
        /** @return the file name in the remote cache: {@code <sha256>.jar} */
        String cacheName() {
            return ClasspathArtifacts.cacheName(sha256);
        }
    }

    private ClasspathArtifacts() {
    }

    /** @return the name a jar with that hash has in the remote cache */
    static String cacheName(String sha256) {
        return sha256 + ".jar";
    }

    /**
     * @param classpath the manager's classpath ({@link File#pathSeparator}-separated; {@code dir/*}
     *     entries expand to the jars in {@code dir})
     * @param packDir where to write packed directories
     * @return one artifact per existing entry, in classpath order, without duplicates
     * @throws IOException when an entry cannot be read or packed
     */
    static List<Artifact> collect(String classpath, Path packDir) throws IOException {
        List<Artifact> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            for (Path p : expand(entry)) {
                Path abs = p.toAbsolutePath().normalize();
                if (seen.contains(abs.toString())) {
                    continue;
                }
                seen.add(abs.toString());
                if (Files.isDirectory(abs)) {
                    Files.createDirectories(packDir);
                    Path tmp = Files.createTempFile(packDir, "dir-", ".jar");
                    packDirectory(abs, tmp);
                    String sha = sha256(tmp);
                    Path named = packDir.resolve(cacheName(sha));
                    Files.move(tmp, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    out.add(new Artifact(abs, named, sha, Files.size(named)));
                } else if (Files.isRegularFile(abs)) {
                    out.add(new Artifact(abs, abs, sha256(abs), Files.size(abs)));
                } else {
                    LOG.debug("classpath entry {} does not exist; not shipped", abs);
                }
            }
        }
        return out;
    }

    private static List<Path> expand(String entry) throws IOException {
        if (!entry.endsWith("*") || !(entry.endsWith("/*") || entry.endsWith(File.separator + "*") || entry.equals("*"))) {
            return List.of(Path.of(entry));
        }
        Path dir = entry.length() == 1 ? Path.of(".") : Path.of(entry.substring(0, entry.length() - 2));
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                ds.forEach(jars::add);
            }
        }
        jars.sort(null);
        return jars;
    }

    /** @return the hex SHA-256 of a file */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Packs a class directory into a jar that depends only on the files' relative names and bytes.
     *
     * @param dir the directory
     * @param jar the jar to write (replaced)
     * @throws IOException when reading or writing fails
     */
    static void packDirectory(Path dir, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).map(dir::relativize).sorted((a, b) -> name(a).compareTo(name(b))).toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            List<String> dirsWritten = new ArrayList<>();
            for (Path rel : files) {
                String name = name(rel);
                // parent directory entries, as jar tools write them (some class loaders look for them)
                int slash = name.indexOf('/');
                while (slash > 0) {
                    String d = name.substring(0, slash + 1);
                    if (!dirsWritten.contains(d)) {
                        dirsWritten.add(d);
                        ZipEntry de = new ZipEntry(d);
                        de.setTime(FIXED_TIME);
                        zip.putNextEntry(de);
                        zip.closeEntry();
                    }
                    slash = name.indexOf('/', slash + 1);
                }
                ZipEntry e = new ZipEntry(name);
                e.setTime(FIXED_TIME);
                zip.putNextEntry(e);
                Files.copy(dir.resolve(rel), zip);
                zip.closeEntry();
            }
        }
    }

    private static String name(Path rel) {
        return rel.toString().replace(File.separatorChar, '/');
    }
}
