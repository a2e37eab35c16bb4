package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jparallel} script's class data sharing: its first run of a build records an archive in the user's cache
 * (a directory only the user may write), whole or not at all, and later runs start from it; the same output either
 * way; off on request and when the directory is not the user's alone. The script is run as users run it, with a
 * {@code java} wrapper that records the options it was given.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScriptClassSharingTest {
    @TempDir
    Path dir;
    private Path cache;
    private Path javaArgs;
    private Path javaWrapper;

    @BeforeEach
    void wrapper() throws IOException {
        cache = dir.resolve("cache");
        javaArgs = dir.resolve("java-args");
        javaWrapper = dir.resolve("java");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // records each run's options; a run given the archive also logs where its classes came from
        Files.writeString(javaWrapper, "#!/bin/sh\n"
                + "echo \"$*\" >> '" + javaArgs + "'\n"
                + "case \"$*\" in *SharedArchiveFile*) exec '" + java + "' -Xlog:class+load=info:file='"
                + dir.resolve("class-load.log") + "' \"$@\" ;; esac\n"
                + "exec '" + java + "' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(javaWrapper, PosixFilePermissions.fromString("rwx------"));
    }

    private static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path built = root.resolve("parallel-cli/target/lib");
        assertTrue(Files.isDirectory(built), "the jparallel command is not built (" + built + "): mvn -B -DskipTests"
                + " -pl parallel-cli -am package");
        return root;
    }

    private String run(Map<String, String> env, String... args) throws Exception {
        Path root = root();
        List<String> command = new java.util.ArrayList<>(List.of("sh", root.resolve("scripts/jparallel").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("JAVA", javaWrapper.toString());
        pb.environment().remove("JPARALLEL_CLASSPATH");
        pb.environment().remove("JPARALLEL_JAVA_OPTS");
        pb.environment().remove("JPARALLEL_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not end");
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the script failed: " + out);
        return out;
    }

    private List<String> archives() throws IOException {
        Path cds = cache.resolve("jparallel/cli-cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private List<String> javaRuns() throws IOException {
        return Files.readAllLines(javaArgs, StandardCharsets.UTF_8);
    }

    @Test
    void theFirstRunWritesTheArchiveAndTheNextStartsFromIt() throws Exception {
        String first = run(Map.of(), "config", "--keys");
        List<String> written = archives();
        assertEquals(1, written.size(), "one archive, no temporary file left: " + written);
        assertTrue(written.get(0).matches("cli-[0-9]+-[0-9]+\\.jsa"), written.get(0));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache.resolve("jparallel/cli-cds"))), "the cache is the user's alone");
        assertTrue(javaRuns().get(0).contains("-XX:ArchiveClassesAtExit="), "the first run records: " + javaRuns());

        String second = run(Map.of(), "config", "--keys");
        assertEquals(first, second, "the same output with the archive");
        assertTrue(javaRuns().get(1).contains("-XX:SharedArchiveFile=" + cache.resolve("jparallel/cli-cds")
                .resolve(written.get(0))), "the second run starts from the archive: " + javaRuns());
        String loads = Files.readString(dir.resolve("class-load.log"), StandardCharsets.UTF_8);
        assertTrue(loads.contains("org.jparallel.cli.Main source: shared objects file (top)"),
                "the JVM took jparallel's classes from the archive");
        assertEquals(written, archives(), "no second archive");
    }

    @Test
    void offOnRequestAndWithTheUsersOwnSharingOptions() throws Exception {
        run(Map.of("JPARALLEL_CDS", "off"), "config", "--keys");
        run(Map.of("JPARALLEL_JAVA_OPTS", "-Xshare:auto"), "config", "--keys");
        assertEquals(List.of(), archives());
        for (String r : javaRuns()) {
            assertFalse(r.contains("Archive") || r.contains("SharedArchiveFile="), "a run with sharing: " + r);
        }
    }

    @Test
    void aCacheOthersMayWriteIsNotUsed() throws Exception {
        Path cds = cache.resolve("jparallel/cli-cds");
        Files.createDirectories(cds);
        Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxrwxrwx"));
        String out = run(Map.of(), "config", "--keys");
        assertTrue(out.contains("not using " + cds + " for class sharing"), out);
        assertEquals(List.of(), archives());
        assertFalse(javaRuns().get(0).contains("Archive"), javaRuns().get(0));
    }
}
