package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

/**
 * The options a worker JVM takes from its environment (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS)
 * count for the options the local launcher adds, as they do for the JVM: checked with Java 17 and 25, the JVM
 * applies JAVA_TOOL_OPTIONS, then JDK_JAVA_OPTIONS, then the command line, then _JAVA_OPTIONS, the later
 * setting of a flag winning.
 */
class WorkerEnvironmentTest {
    private static List<String> startOptions(LocalWorker w) {
        return w.startSpec(new LaunchSpec(List.of(1), TestWorkers.JAVA, List.of(), "cp", "Main", null, 5000, List.of(),
                "s3cret", "w%d.out")).jvmOptions();
    }

    /** Skips the test on a machine so small that no initial heap is added whatever the options. */
    private static boolean smallInitialHeap(List<String> jvmOptions, String... namesAndValues) {
        assumeTrue(MachineMemory.bytes() >= InitialHeap.MIN_MACHINE_BYTES, "a machine with less memory adds no -Xms");
        return startOptions(TestWorkers.withEnvironment(new LocalWorker().jvmOptions(jvmOptions.toArray(new String[0])),
                namesAndValues)).contains(InitialHeap.OPTION);
    }

    private static boolean jitThresholds(String... namesAndValues) {
        return !Collections.disjoint(startOptions(TestWorkers.withEnvironment(new LocalWorker(), namesAndValues)),
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
        EnvironmentOptions env = EnvironmentOptions.of(Map.of("JAVA_TOOL_OPTIONS", "-Dt", "JDK_JAVA_OPTIONS",
                "-Dj", "_JAVA_OPTIONS", "-Du", "JAVA_OPTIONS", "-Dignored"));
        assertEquals(List.of("-Dt", "-Dj", "-Dcommand", "-Du"), env.around(List.of("-Dcommand")));
        assertEquals(List.of("-Dcommand"), EnvironmentOptions.of(Map.of()).around(List.of("-Dcommand")));
    }

    @Test
    void optionsReadFromAFileHideTheirContentSoNothingIsAdded() {
        assertFalse(smallInitialHeap(List.of(), "JDK_JAVA_OPTIONS", "@/etc/java-options"));
        assertFalse(smallInitialHeap(List.of("@options.txt")));
        assertFalse(smallInitialHeap(List.of(), "JAVA_TOOL_OPTIONS", "-XX:VMOptionsFile=/etc/vm-options"));
    }

    @Test
    void optionsReadFromAFileKeepTheJvmsThresholds() {
        assertFalse(jitThresholds("JAVA_TOOL_OPTIONS", "-XX:Flags=/etc/hotspotrc"));
        assertFalse(jitThresholds("JDK_JAVA_OPTIONS", "@/etc/java-options"));
    }

    /**
     * Windows' variable names are case-insensitive (the JVM there finds {@code java_tool_options} as well), and
     * its {@link ProcessBuilder#environment()} is a case-sensitive map all the same.
     */
    @Test
    void onWindowsTheVariablesAreFoundAndChangedWhateverTheirCase() {
        Map<String, String> manager = Map.of("java_tool_options", "-Xmx32m", "Path", "C:\\bin", "jparallel_secret",
                "s3cret");
        WorkerEnvironment windows = new WorkerEnvironment(true);
        assertEquals(List.of("-Xmx32m"), EnvironmentOptions.of(windows.toMap(manager)).before());
        windows.set("JAVA_TOOL_OPTIONS", "-Xmx1g");
        assertEquals(List.of("-Xmx1g"), EnvironmentOptions.of(windows.toMap(manager)).before());
        Map<String, String> processBuilders = new HashMap<>(manager);
        windows.applyTo(processBuilders);
        assertEquals(Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g", "Path", "C:\\bin"), processBuilders,
                "one variable of the name, not two the worker would choose from; no secret");
        windows.set("Java_Tool_Options", null);
        assertEquals(List.of(), EnvironmentOptions.of(windows.toMap(manager)).before());

        // elsewhere the names are case-sensitive
        WorkerEnvironment unix = new WorkerEnvironment(false);
        assertEquals(List.of(), EnvironmentOptions.of(unix.toMap(manager)).before());
        unix.set("JAVA_TOOL_OPTIONS", "-Xmx1g");
        Map<String, String> unixProcessBuilders = new HashMap<>(manager);
        unix.applyTo(unixProcessBuilders);
        assertEquals("-Xmx32m", unixProcessBuilders.get("java_tool_options"));
        assertEquals("-Xmx1g", unixProcessBuilders.get("JAVA_TOOL_OPTIONS"));
    }
}
