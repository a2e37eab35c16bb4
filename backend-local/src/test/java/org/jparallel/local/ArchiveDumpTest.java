package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveDump}'s reading of a worker's class list, its choice of the options the dumping JVMs run and how it
 * tells a lasting failure, with stand-in {@code java} scripts; the dump itself runs in real JVMs in {@link
 * ClassSharingTest}.
 */
class ArchiveDumpTest {
    private static final String HEADER = "# NOTE: Do not modify this file.\n#\n";
    private static final String MAIN = "org.example.Main";

    @TempDir
    Path tmp;

    @Test
    void aListNamingTheMainClassServesInJava17sAndJava25sFormats() throws Exception {
        Path java17 = Files.writeString(tmp.resolve("17"), HEADER + "java/lang/Object\norg/example/Main\n");
        Path java25 = Files.writeString(tmp.resolve("25"), HEADER + "java/lang/Object id: 0\norg/example/Main id: 702\n");
        assertNull(ArchiveDump.prepare(java17, MAIN));
        assertNull(ArchiveDump.prepare(java25, MAIN));
    }

    @Test
    void aListCutShortByAKillLosesItsLastLineOnly() throws Exception {
        Path list = Files.writeString(tmp.resolve("killed"), HEADER + "org/example/Main\norg/example/Hal");
        assertNull(ArchiveDump.prepare(list, MAIN));
        assertEquals(HEADER + "org/example/Main\n", Files.readString(list));
    }

    @Test
    void aListWithoutTheMainClassOrNotTheJvmsIsRefused() throws Exception {
        Path early = Files.writeString(tmp.resolve("early"), HEADER + "java/lang/Object\norg/example/MainHelper\n");
        assertTrue(ArchiveDump.prepare(early, MAIN).contains("does not name org/example/Main"));
        // its name on a line cut short does not count
        Path cut = Files.writeString(tmp.resolve("cut"), HEADER + "java/lang/Object\norg/example/Main");
        assertTrue(ArchiveDump.prepare(cut, MAIN).contains("does not name"));
        Path other = Files.writeString(tmp.resolve("other"), "org/example/Main\n");
        assertTrue(ArchiveDump.prepare(other, MAIN).contains("does not start as the JVM writes one"));
        assertTrue(ArchiveDump.prepare(tmp.resolve("absent"), MAIN).contains("no class list"));
    }

    @Test
    void theListOfJparallelsWorkerMustShowItSentAResult() throws Exception {
        String worker = ArchiveDump.WORKER_MAIN;
        Path started = Files.writeString(tmp.resolve("started"), HEADER + worker.replace('.', '/') + "\n");
        assertTrue(ArchiveDump.prepare(started, worker).contains("does not name org/jparallel/core/protocol/Message$Result"),
                "a worker that ended before its first result: its archive would hold fewer JDK classes than the JDK's");
        Path ran = Files.writeString(tmp.resolve("ran"), HEADER + worker.replace('.', '/') + "\n"
                + ArchiveDump.RESULT_CLASS.replace('.', '/') + "\n");
        assertNull(ArchiveDump.prepare(ran, worker));
    }

    @Test
    void aListIsCutAtABytePositionWhateverItsClassNamesBytes() throws Exception {
        byte[] head = (HEADER + "org/example/Main\norg/example/Caf").getBytes(StandardCharsets.UTF_8);
        byte[] cut = new byte[head.length + 1];
        System.arraycopy(head, 0, cut, 0, head.length);
        cut[head.length] = (byte) 0xC3; // the first byte of an é, the second lost to a kill
        Path list = Files.write(tmp.resolve("cut"), cut);
        assertNull(ArchiveDump.prepare(list, MAIN));
        assertEquals(HEADER + "org/example/Main\n", Files.readString(list));
    }

    /** @return a stand-in java: a shell script that records its arguments and environment, then runs {@code body} */
    private Path fakeJava(String body) throws Exception {
        Path script = tmp.resolve("java");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + tmp.resolve("args") + "\nenv >> " + tmp.resolve("env")
                + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Path workerList() throws Exception {
        return Files.writeString(tmp.resolve("list"), HEADER + "org/example/Main\n");
    }

    private ArchiveDump.Launch launch(Path java, List<String> options, WorkerEnvironment env) {
        return new ArchiveDump.Launch(java.toString(), options, "app.jar", MAIN, new WorkerProcess(env, tmp));
    }

    @Test
    void theDumpingJvmsGetTheEnvironmentsOptionsFilteredOnTheCommandLineAndNotInTheEnvironment() throws Exception {
        WorkerEnvironment env = new WorkerEnvironment();
        env.set("JAVA_TOOL_OPTIONS", "-javaagent:/apm.jar -XX:-UseCompressedOops");
        env.set("_JAVA_OPTIONS", "-Xlog:gc:file=gc.log -Xmx1g");
        List<String> all = EnvironmentOptions.of(env.toMap()).around(List.of("-Xss2m"));
        ArchiveDump.Failure f = ArchiveDump.write(launch(fakeJava("exit 1"), all, env), workerList(),
                tmp.resolve("a.jsa"), tmp.resolve("log"));
        assertTrue(f.lasting(), f.reason());
        String args = Files.readString(tmp.resolve("args"));
        assertTrue(args.startsWith("-XX:-UseCompressedOops -Xss2m -Xmx1g -Xshare:dump"), args);
        String environment = Files.readString(tmp.resolve("env"));
        assertFalse(environment.contains("JAVA_TOOL_OPTIONS") || environment.contains("_JAVA_OPTIONS"), environment);
    }

    @Test
    void anArchiveTheWorkersJvmWillNotMapIsRefusedAndTheRefusalLasts() throws Exception {
        // writes something with the archive's magic number and header size, then refuses to map it
        Path java = fakeJava("case \"$*\" in *-Xshare:dump*) for a in \"$@\"; do case $a in -XX:SharedArchiveFile=*)"
                + " head -c 8192 /dev/zero > \"${a#*=}\"; printf '\\242\\253\\013\\360' | dd of=\"${a#*=}\""
                + " conv=notrunc 2>/dev/null;; esac; done; exit 0;; *) echo Unable to use shared archive.; exit 1;; esac");
        Path archive = tmp.resolve("a.jsa");
        ArchiveDump.Failure f = ArchiveDump.write(launch(java, List.of(), new WorkerEnvironment()), workerList(), archive,
                tmp.resolve("log"));
        assertTrue(ArchiveDirectory.looksLikeArchive(archive), "the stand-in wrote an archive's head: " + f);
        assertTrue(f.lasting(), f.reason());
        assertTrue(f.reason().contains("mapping the archive") && f.reason().contains("Unable to use shared archive"),
                f.reason());
        assertTrue(Files.readString(tmp.resolve("args")).contains("-Xshare:on -XX:SharedArchiveFile=" + archive), "mapped");
    }

    @Test
    void failuresThatMayPassAreNotLasting() throws Exception {
        ArchiveDump.Failure killed = ArchiveDump.write(launch(fakeJava("kill -9 $$"), List.of(), new WorkerEnvironment()),
                workerList(), tmp.resolve("a.jsa"), tmp.resolve("log"));
        assertFalse(killed.lasting(), killed.reason());
        ArchiveDump.Failure absent = ArchiveDump.write(launch(tmp.resolve("no-such-java"), List.of(),
                new WorkerEnvironment()), workerList(), tmp.resolve("a.jsa"), tmp.resolve("log"));
        assertFalse(absent.lasting(), absent.reason());
        assertTrue(absent.reason().contains("cannot run"), absent.reason());
    }

    @Test
    void theDumpingJvmsRunNoOptionThatStartsSomethingOrWritesAFile() {
        List<String> kept = List.of("-Xmx3g", "-XX:-UseCompressedOops", "-XX:+UseParallelGC",
                "-XX:Tier4InvocationThreshold=20000", "-Dsome.property=1", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-XX:+UnlockDiagnosticVMOptions", "-Xss2m");
        List<String> dropped = List.of("-javaagent:/a.jar", "-agentlib:jdwp=transport=dt_socket", "-agentpath:/x.so",
                "-Xrunjdwp:server=y", "-Xdebug", "-Xlog:gc:file=gc.log", "-Xloggc:gc.log", "-verbose:class",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/tmp", "-XX:ErrorFile=/tmp/e.log",
                "-XX:StartFlightRecording=filename=x.jfr", "-XX:FlightRecorderOptions=stackdepth=96",
                "-XX:OnError=kill", "-XX:OnOutOfMemoryError=kill", "-XX:+LogCompilation", "-XX:LogFile=x",
                "-Dcom.sun.management.jmxremote", "-Dcom.sun.management.jmxremote.port=9010", "-Xms64m",
                "-XX:InitialHeapSize=1g", "-XX:+AlwaysPreTouch");
        List<String> all = new java.util.ArrayList<>(kept);
        all.addAll(dropped);
        assertEquals(kept, ArchiveDump.forDump(all));
    }
}
