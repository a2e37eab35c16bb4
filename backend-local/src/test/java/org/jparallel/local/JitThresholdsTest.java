package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

class JitThresholdsTest {
    private static final List<String> OWN_JAVA = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";

    @Test
    void workersOfTheManagersOwnHotSpotJavaGetTheThresholds() {
        assertTrue(JitThresholds.applies(OWN_JAVA, List.of("-Xmx1g"), HOTSPOT));
    }

    @Test
    void optionsThatChooseCompilationKeepTheJvmsOwnBehaviour() {
        for (String o : List.of("-XX:Tier4InvocationThreshold=5000", "-XX:CompileThresholdScaling=0.5",
                "-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation", "-Xint", "-Xcomp")) {
            assertFalse(JitThresholds.applies(OWN_JAVA, List.of("-Xmx1g", o), HOTSPOT), o);
        }
    }

    @Test
    void anotherJavaOrAnotherJvmGetsNothing() {
        assertFalse(JitThresholds.applies(List.of("/opt/other/bin/java"), List.of(), HOTSPOT));
        assertFalse(JitThresholds.applies(List.of("/usr/bin/env", "java"), List.of(), HOTSPOT));
        assertFalse(JitThresholds.applies(OWN_JAVA, List.of(), "Eclipse OpenJ9 VM"));
    }

    @Test
    void theStartedWorkersSpecCarriesTheThresholdsAfterItsOwnOptions() {
        LocalWorker w = TestWorkers.withEnvironment(new LocalWorker().jvmOptions("-Xmx1g")); // none from ours
        List<String> options = w.startSpec(new LaunchSpec(List.of(1), OWN_JAVA.get(0), List.of(), "cp", "Main", null, 5000,
                List.of(), "s3cret", "w%d.out")).jvmOptions();
        assertEquals("-Xmx1g", options.get(0));
        assertEquals(JitThresholds.OPTIONS, options.subList(1, 1 + JitThresholds.OPTIONS.size()));
    }
}
