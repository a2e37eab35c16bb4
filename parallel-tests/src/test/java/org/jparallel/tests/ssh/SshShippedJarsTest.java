package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ssh.JarShipper;
import org.jparallel.ssh.SshWorker;
import org.jparallel.tests.TestSupport;
import org.jparallel.tests.WorkerSide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shipped jars: workers run as a second user who cannot read the manager's classpath (root's
 * {@code ~/.m2} is mode 0700), so they can only start from the jars uploaded into that user's
 * {@code ~/.cache/jparallel/jars}; a second run finds every jar there and uploads nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SshShippedJarsTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void sshdUp() {
        SshServer.requireUp();
    }

    @Test
    void workersOfAUserWhoCannotReadTheClasspathStartFromShippedJarsAndASecondRunUploadsNothing() throws Exception {
        Path home = Path.of(SshServer.run("getent", "passwd", SshServer.OTHER_USER).output().split(":")[5].trim());
        Path cache = home.resolve(JarShipper.CACHE_DIR);
        privateClasspath = privateCopyOfClasspath();
        String unreadable = unreadableClasspathJar();
        SshServer.run("rm", "-rf", cache.toString());

        Map<String, FileTime> afterFirst;
        JarShipper.Report first = run("first");
        assertTrue(first.uploaded() > 0 && first.skipped() == 0, "first run: " + first);
        afterFirst = listing(cache);
        assertEquals(first.uploaded(), afterFirst.size(), "cache after the first run: " + afterFirst.keySet());

        JarShipper.Report second = run("second");
        assertEquals(0, second.uploaded(), "second run uploaded something: " + second);
        assertEquals(first.uploaded(), second.skipped(), "second run: " + second);
        assertEquals(afterFirst, listing(cache), "the cache changed on the second run");
        System.out.println("ssh ship: first run uploaded " + first.uploaded() + " jars (" + first.uploadedBytes() / 1024
                + " KiB), second run uploaded " + second.uploaded() + " and skipped " + second.skipped()
                + "; " + SshServer.OTHER_USER + " cannot read " + unreadable);
    }

    private JarShipper.Report run(String name) throws Exception {
        long t0 = System.nanoTime();
        List<String> seen = new ArrayList<>();
        SshWorker group = SshServer.workers("127.0.0.1:2").user(SshServer.OTHER_USER).ship(true);
        try (Manager manager = Manager.builder().classpath(privateClasspath)
                .outputPattern(tempDir.resolve(name + "-worker%d.output").toString()).build()) {
            manager.addWorker(group);
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            long connected = (System.nanoTime() - t0) / 1_000_000;
            Context<String, String> ctx = manager.getContext(() -> System.getProperty("user.name"));
            for (int i = 0; i < 20; i++) {
                ctx.addTask(user -> user + ":" + WorkerSide.pid() + ":"
                        + WorkerSide.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            }
            ctx.getResultsUnordered().forEach(seen::add);
            System.out.println("ssh ship: " + name + " run connected 2 workers in " + connected + " ms");
        }
        assertEquals(20, seen.size());
        for (String r : seen) {
            String[] parts = r.split(":", 3);
            assertEquals(SshServer.OTHER_USER, parts[0], "task ran as " + r);
            assertTrue(parts[2].contains("/.cache/jparallel/jars/"), "test classes loaded from " + parts[2]);
        }
        TestSupport.pollUntil(Duration.ofSeconds(15), () -> pgrepOtherUser().isEmpty(),
                () -> SshServer.OTHER_USER + " still runs workers after close: " + pgrepOtherUser());
        List<JarShipper.Report> reports = group.lastShipReports();
        assertEquals(1, reports.size(), "one host entry, one shipping: " + reports);
        return reports.get(0);
    }

    private String privateClasspath;

    @org.junit.jupiter.api.AfterEach
    void removePrivateCopy() throws IOException {
        if (privateClasspath != null) {
            Path root = Path.of(privateClasspath.split(File.pathSeparator)[0]).getParent();
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Copies this JVM's classpath into a directory only root can enter (0700), wherever the checkout
     * lives (a checkout under /tmp is readable by everyone), so the other user cannot read it.
     *
     * @return the copy, as a classpath
     */
    private static String privateCopyOfClasspath() throws IOException {
        Path root = Files.createTempDirectory("jparallel-private-cp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = root.resolve((n++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(dst.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    /** @return an entry of the manager's classpath the other user cannot read (the premise of the test) */
    private String unreadableClasspathJar() throws Exception {
        for (String e : privateClasspath.split(File.pathSeparator)) {
            SshServer.Result r = SshServer.run("runuser", "-u", SshServer.OTHER_USER, "--", "test", "-r", e);
            assertNotEquals(0, r.code(), SshServer.OTHER_USER + " can read " + e + ": the test proves nothing");
            return e;
        }
        throw new AssertionError("empty classpath");
    }

    private static List<String> pgrepOtherUser() {
        try {
            SshServer.Result r = SshServer.run("pgrep", "-a", "-u", SshServer.OTHER_USER, "-f", SshServer.WORKER_MAIN);
            return r.output().lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, FileTime> listing(Path dir) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                out.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
