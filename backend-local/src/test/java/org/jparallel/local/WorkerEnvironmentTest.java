package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

/**
 * The options a worker JVM takes from its environment (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS)
 * count for the options the local launcher adds, as they do for the JVM: checked with Java 17 and 25, the JVM
 * applies JAVA_TOOL_OPTIONS, then JDK_JAVA_OPTIONS, then the command line, then _JAVA_OPTIONS, the later
 * setting of a flag winning.
 */
class WorkerEnvironmentTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** @return a group whose workers' environment has these variables (name, value, ...) and none of the others */
    static LocalWorker withEnvironment(LocalWorker w, String... namesAndValues) {
        for (String v : VARIABLES) {
            w.environment(v, null);
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            w.environment(namesAndValues[i], namesAndValues[i + 1]);
        }
        return w;
    }

    private static List<String> startOptions(LocalWorker w) {
        return w.startSpec(new LaunchSpec(List.of(1), JAVA, List.of(), "cp", "Main", null, 5000, List.of(), "s3cret",
                "w%d.out")).jvmOptions();
    }

    private static boolean smallInitialHeap(List<String> jvmOptions, String... namesAndValues) {
        return startOptions(withEnvironment(new LocalWorker().jvmOptions(jvmOptions.toArray(new String[0])),
                namesAndValues)).contains(InitialHeap.OPTION);
    }

    private static boolean jitThresholds(String... namesAndValues) {
        return !Collections.disjoint(startOptions(withEnvironment(new LocalWorker(), namesAndValues)),
                JitThresholds.OPTIONS);
    }

    @Test
    void aMaximumUnderTheInitialHeapInTheEnvironmentKeepsTheJvmsDefault() {
        // each of these beside -Xms64m stops the JVM: "Initial heap size set to a larger value than the maximum"
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-Xmx32m"));
        assertFalse(smallInitialHeap(List.of(), "JDK_JAVA_OPTIONS", "-Xmx32m"));
        assertFalse(smallInitialHeap(List.of(), "_JAVA_OPTIONS", "-XX:MaxHeapSize=32m"));
        assertFalse(smallInitialHeap(List.of(), "JDK_JAVA_OPTIONS", "-Dname='a b'  -Xmx32m"));
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-Xmx1g", "JDK_JAVA_OPTIONS", "-Xmx32m"));
        assertFalse(smallInitialHeap(List.of("-Xmx1g"), "_JAVA_OPTIONS", "-Xmx32m"));
    }

    @Test
    void anInitialHeapInTheEnvironmentIsNotOverridden() {
        // ours on the command line would win over the user's
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-Xms1g"));
        assertFalse(smallInitialHeap(List.of(), "JDK_JAVA_OPTIONS", "-XX:InitialHeapSize=1g"));
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=1"));
    }

    @Test
    void aLaterLargerMaximumWinsAsForTheJvm() {
        assertTrue(smallInitialHeap(List.of("-Xmx1g"), "JAVA_TOOL_OPTIONS", "-Xmx32m"));
        assertTrue(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-Xmx32m", "JDK_JAVA_OPTIONS", "-Xmx1g"));
        assertTrue(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-Dname=x -XX:+UseSerialGC"));
        assertTrue(smallInitialHeap(List.of()));
    }

    @Test
    void compilationOptionsInTheEnvironmentKeepTheJvmsThresholds() {
        assertTrue(jitThresholds());
        assertTrue(jitThresholds("JAVA_TOOL_OPTIONS", "-Xmx1g"));
        // our thresholds on the command line would override the user's ...
        assertFalse(jitThresholds("JAVA_TOOL_OPTIONS", "-XX:Tier4InvocationThreshold=5000"));
        assertFalse(jitThresholds("JDK_JAVA_OPTIONS", "-XX:Tier4CompileThreshold=15000"));
        // ... and drive C2 alone without tiers (Tier4CompileThreshold 10000 there, ours 60000)
        assertFalse(jitThresholds("JDK_JAVA_OPTIONS", "-XX:-TieredCompilation"));
        assertFalse(jitThresholds("_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1"));
    }

    @Test
    void theEnvironmentVariablesAreReadAsTheJvmReadsThem() {
        assertEquals(List.of("-Da=x y", "-Xmx1g", "-Db=it's"), EnvironmentOptions.words(" -Da='x y'\t-Xmx1g\n-Db=\"it's\" "));
        assertEquals(List.of("-Dc=ab cd"), EnvironmentOptions.words("-Dc=a'b c'd"));
        assertEquals(List.of("-Dd=a\\", "b"), EnvironmentOptions.words("-Dd=a\\ b"), "no escapes");
        assertEquals(List.of(), EnvironmentOptions.words(""));
        assertEquals(List.of(), EnvironmentOptions.words(null));
        assertEquals(List.of("-Xmx1g", "-Dq=unclosed "), EnvironmentOptions.words("-Xmx1g -Dq='unclosed "));
    }

    @Test
    void theOptionsAreInTheOrderTheJvmAppliesThem() {
        EnvironmentOptions env = EnvironmentOptions.of(java.util.Map.of("JAVA_TOOL_OPTIONS", "-Dt", "JDK_JAVA_OPTIONS",
                "-Dj", "_JAVA_OPTIONS", "-Du", "JAVA_OPTIONS", "-Dignored"));
        assertEquals(List.of("-Dt", "-Dj", "-Dcommand", "-Du"), env.around(List.of("-Dcommand")));
        assertEquals(List.of("-Dcommand"), EnvironmentOptions.of(java.util.Map.of()).around(List.of("-Dcommand")));
    }

    @Test
    void optionsReadFromAFileHideTheirContentSoNothingIsAdded() {
        assertFalse(smallInitialHeap(List.of(), "JDK_JAVA_OPTIONS", "@/etc/java-options"));
        assertFalse(smallInitialHeap(List.of("@options.txt")));
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-XX:VMOptionsFile=/etc/vm-options"));
        assertFalse(jitThresholds("JAVA_TOOL_OPTIONS", "-XX:Flags=/etc/hotspotrc"));
    }
}
