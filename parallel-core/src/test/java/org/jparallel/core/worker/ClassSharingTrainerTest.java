package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassSharingTrainer} in fresh JVMs: the classes its worker process lists are a worker's and none of the
 * manager's, and a later worker whose classpath has a directory after the trainer's jars (an IDE's classes) loads
 * them from an archive of that list; it and its worker exit when its standard input closes, or when its time is up; it
 * leaves no file behind.
 *
 * <p>The JVM archives classes from jars only, so the test classpath's directories are packed into jars first.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassSharingTrainerTest {
    private static final String SHARED = " source: shared objects file";

    @TempDir
    static Path jars;
    private static String jarClasspath;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packClasspathIntoJars() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e.isEmpty() ? "." : e);
            if (Files.isDirectory(p)) {
                Path jar = jars.resolve("dir" + (n++) + ".jar");
                pack(p, jar);
                entries.add(jar.toString());
            } else if (Files.isRegularFile(p)) {
                entries.add(p.toString());
            }
        }
        jarClasspath = String.join(File.pathSeparator, entries);
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    /** A trainer's JVM: working directory and temporary directory of the test's own, output to a file. */
    private final class Trainer {
        final Path work;
        final Path temporary;
        final Path output;
        final Process process;

        Trainer(String name, List<String> jvmOptions, String classpath, String... args) throws IOException {
            work = Files.createDirectories(tmp.resolve(name + "-work"));
            temporary = Files.createDirectories(tmp.resolve(name + "-tmp"));
            output = tmp.resolve(name + ".out");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Djava.io.tmpdir=" + temporary);
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, ClassSharingTrainer.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
        }

        /** @return the exit code, once it ended (the test's timeout bounds the wait: so does the trainer's own limit) */
        int exitCode() throws InterruptedException {
            try {
                return process.waitFor();
            } finally {
                process.destroyForcibly();
            }
        }

        String output() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    /** @return the pid of the trainer's worker, from the line it says as it starts it, or -1 */
    private static long workerPid(String output) {
        Matcher m = Pattern.compile("started its worker \\(pid (\\d+)\\)").matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void itsWorkerListsAWorkersClassesForAnArchiveThatServesAClasspathWithADirectoryAfterTheJars() throws Exception {
        Path list = tmp.resolve("workers.classlist");
        Trainer trainer = new Trainer("train", List.of(), jarClasspath, ClassSharingTrainer.CLASS_LIST_TO,
                list.toString());
        assertEquals(ClassSharingTrainer.EXIT_OK, trainer.exitCode(), trainer.output());
        List<String> names = Files.readAllLines(list).stream().map(l -> l.split(" ")[0]).collect(Collectors.toList());
        assertTrue(names.contains("org/jparallel/core/worker/TaskRunner"), "a worker's classes: " + names.size());
        // a worker's classes alone: nothing of the manager's
        assertFalse(names.stream().anyMatch(n -> n.startsWith("org/jparallel/core/manager/")), names.toString());
        assertFalse(alive(workerPid(trainer.output())), "its worker ended");
        // the archive of the list, as the local backend writes it
        Path archive = tmp.resolve("workers.jsa");
        Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive,
                "-cp", jarClasspath).redirectErrorStream(true).redirectOutput(tmp.resolve("dump.out").toFile()).start();
        assertEquals(0, dump.waitFor(), Files.readString(tmp.resolve("dump.out")));

        // a later worker, its classpath the trainer's jars and then a directory with classes in it
        Path classes = Files.createDirectories(tmp.resolve("ide-classes"));
        Files.writeString(classes.resolve("Other.class"), "not read");
        Path log = tmp.resolve("later-worker.out");
        TrainingWorker later = new TrainingWorker(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
                "-Xlog:class+load=info"), jarClasspath + File.pathSeparator + classes, "1",
                ProcessBuilder.Redirect.to(log.toFile()), 10_000, null);
        Manager manager = Manager.builder().noJournal().bindAddress("127.0.0.1").host("127.0.0.1").port(0)
                .statusPort(-1).outputPattern(tmp.resolve("w%d.out").toString()).replaceLostWorkers(0).build();
        try (Context<Void, Integer> ctx = manager.getContext()) {
            manager.addWorker(later);
            int base = 40;
            assertEquals(42, ctx.addTask(s -> base + 2).get(60, TimeUnit.SECONDS));
        } finally {
            manager.close();
        }
        assertEquals(0, later.awaitExit(10_000), Files.readString(log));
        String out = Files.readString(log);
        // what a worker loads, where the trainer's worker loaded it
        for (String c : List.of("org.jparallel.core.worker.WorkerMain", "org.jparallel.core.worker.WorkerMain$Log",
                "org.jparallel.core.worker.WorkerClient",
                "org.jparallel.core.worker.BlockingSession", "org.jparallel.core.worker.TaskRunner",
                "org.jparallel.core.worker.TaskSlots", "org.jparallel.core.worker.SetupCache",
                "org.jparallel.core.worker.startup.WorkerWarmUp", "org.jparallel.core.serial.DirectLambda",
                "org.slf4j.LoggerFactory")) {
            assertTrue(out.contains(" " + c + SHARED), c + " from the archive: "
                    + out.lines().filter(l -> l.contains(" " + c + " ")).collect(Collectors.toList()));
        }
        // nothing of the manager's
        assertFalse(out.contains(" org.jparallel.core.manager."), "no manager class in a worker");
    }

    @Test
    void withTlsItsWorkerSpeaksTls() throws Exception {
        Path list = tmp.resolve("tls.classlist");
        Trainer trainer = new Trainer("tls", List.of(), jarClasspath, ClassSharingTrainer.TLS,
                ClassSharingTrainer.CLASS_LIST_TO, list.toString(), ClassSharingTrainer.WORKER_SLOTS, "2",
                ClassSharingTrainer.WORKER_JVM_OPTION, "-Xlog:class+load=info");
        assertEquals(ClassSharingTrainer.EXIT_OK, trainer.exitCode(), trainer.output());
        assertTrue(trainer.output().contains(" --slots 2 "), "its worker has 2 slots: " + trainer.output());
        for (String c : List.of("org.jparallel.core.worker.WorkerHandshakeHandler",
                "org.jparallel.core.worker.WorkerSessionHandler", "io.netty.handler.ssl.SslHandler")) {
            assertTrue(trainer.output().contains(" " + c + " source:"), c + " loaded");
        }
        assertTrue(Files.readString(list).contains("io/netty/handler/ssl/SslHandler"), "listed with TLS");
    }

    @Test
    void aWorkerThatCannotStartFailsTheTrainingAtOnce() throws Exception {
        Path list = tmp.resolve("none.classlist");
        Trainer trainer = new Trainer("bad", List.of(), jarClasspath, ClassSharingTrainer.CLASS_LIST_TO,
                list.toString(), ClassSharingTrainer.WORKER_JVM_OPTION, "-XX:+NoSuchOptionForTheTest");
        long start = System.nanoTime();
        assertEquals(ClassSharingTrainer.EXIT_FAILED, trainer.exitCode(), trainer.output());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "at once, not after the tasks' waits");
        assertTrue(trainer.output().contains("NoSuchOptionForTheTest"), trainer.output());
        assertEquals(List.of(), files(trainer.temporary), "its temporary directory");
    }

    @Test
    void itLeavesNoFileInItsWorkingOrTemporaryDirectoryAndReadsNoConfiguration() throws Exception {
        // a user's configuration, which the trainer's manager must not read: read, it would fail (the port) or
        // write (the status page) into the working directory
        Path work = Files.createDirectories(tmp.resolve("clean-work"));
        Path config = Files.writeString(work.resolve("jparallel.properties"), "jparallel.manager.port = not a port\n");
        Trainer trainer = new Trainer("clean", List.of("-Djparallel.manager.port=1", "-Djparallel.manager.status-port=0",
                "-Djparallel.config=" + config), jarClasspath, ClassSharingTrainer.CLASS_LIST_TO,
                tmp.resolve("clean.classlist").toString());
        assertEquals(ClassSharingTrainer.EXIT_OK, trainer.exitCode(), trainer.output());
        assertEquals(List.of(config), files(trainer.work), "its working directory");
        assertEquals(List.of(), files(trainer.temporary), "its temporary directory");
        assertFalse(trainer.output().contains("status"), trainer.output());
    }

    @Test
    void itAndItsWorkerExitAtOnceWhenItsStandardInputCloses() throws Exception {
        Path list = tmp.resolve("gone.classlist");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("tmp")), "-cp", jarClasspath,
                ClassSharingTrainer.class.getName(), ClassSharingTrainer.EXIT_WHEN_STDIN_CLOSES, ClassSharingTrainer.HOLD,
                ClassSharingTrainer.CLASS_LIST_TO, list.toString()); // its exit code disowns what its killed worker listed
        Process p = new ProcessBuilder(command).directory(Files.createDirectories(tmp.resolve("work")).toFile())
                .redirectErrorStream(true).start();
        try {
            StringBuilder seen = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // until it has run the tasks and holds, its worker still connected (its own time limit ends it otherwise)
            for (String line; (line = out.readLine()) != null && !line.equals(ClassSharingTrainer.HOLDING); ) {
                seen.append(line).append('\n');
            }
            long pid = workerPid(seen.toString());
            assertTrue(p.isAlive() && alive(pid), "it and its worker hold until its standard input closes: " + seen);
            long closed = System.nanoTime();
            p.getOutputStream().close();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "it ended once its standard input closed");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
            assertEquals(ClassSharingTrainer.EXIT_STARTER_GONE, p.exitValue(), seen.toString());
            assertTrue(millis < 5_000, "it ended " + millis + " ms after its standard input closed");
            assertFalse(alive(pid), "its worker is gone with it");
            assertEquals(List.of(), files(tmp.resolve("tmp")), "its temporary directory");
            assertEquals(List.of(), files(tmp.resolve("work")), "its working directory");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void itAndItsWorkerExitWhenItsTimeIsUp() throws Exception {
        Trainer trainer = new Trainer("limit", List.of(), jarClasspath, ClassSharingTrainer.HOLD,
                ClassSharingTrainer.TIME_LIMIT_MS, "3000", ClassSharingTrainer.CLASS_LIST_TO,
                tmp.resolve("limit.classlist").toString());
        long start = System.nanoTime();
        assertEquals(ClassSharingTrainer.EXIT_TIMED_OUT, trainer.exitCode(), trainer.output());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "ended in time");
        assertTrue(trainer.output().contains("not done within 3000 ms"), trainer.output());
        long pid = workerPid(trainer.output());
        assertTrue(pid > 0, "its worker had started: " + trainer.output());
        assertFalse(alive(pid), "its worker is gone with it");
        assertEquals(List.of(), files(trainer.temporary), "its temporary directory");
    }

    @Test
    void withoutAClassListItRefusesToStart() throws Exception {
        Trainer trainer = new Trainer("usage", List.of(), jarClasspath);
        assertEquals(ClassSharingTrainer.EXIT_USAGE, trainer.exitCode(), trainer.output());
        assertTrue(trainer.output().contains(ClassSharingTrainer.CLASS_LIST_TO), trainer.output());
    }
}
