package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveDump}'s reading of a worker's class list and its choice of the options the dumping JVMs run; the
 * dump itself runs in real JVMs in {@link ClassSharingTest}.
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
    void theDumpingJvmsRunNoOptionThatStartsSomethingOrWritesAFile() {
        List<String> kept = List.of("-Xmx3g", "-Xms64m", "-XX:-UseCompressedOops", "-XX:+UseParallelGC",
                "-XX:Tier4InvocationThreshold=20000", "-Dsome.property=1", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-XX:+UnlockDiagnosticVMOptions", "-Xss2m");
        List<String> dropped = List.of("-javaagent:/a.jar", "-agentlib:jdwp=transport=dt_socket", "-agentpath:/x.so",
                "-Xrunjdwp:server=y", "-Xdebug", "-Xlog:gc:file=gc.log", "-Xloggc:gc.log", "-verbose:class",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/tmp", "-XX:ErrorFile=/tmp/e.log",
                "-XX:StartFlightRecording=filename=x.jfr", "-XX:FlightRecorderOptions=stackdepth=96",
                "-XX:OnError=kill", "-XX:OnOutOfMemoryError=kill", "-XX:+LogCompilation", "-XX:LogFile=x");
        List<String> all = new java.util.ArrayList<>(kept);
        all.addAll(dropped);
        assertEquals(kept, ArchiveDump.forDump(all));
    }
}
