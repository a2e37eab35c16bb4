package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

class InitialHeapTest {
    private static final long GB = 1L << 30;

    @Test
    void workersWithoutAnInitialHeapOfTheirOwnStartWithTheSmallOne() {
        assertTrue(InitialHeap.applies(List.of(), 16 * GB));
        assertTrue(InitialHeap.applies(List.of("-Xmx2g", "-XX:+UseG1GC"), 16 * GB));
        assertTrue(InitialHeap.applies(List.of("-Xmx64m"), 16 * GB));
    }

    @Test
    void optionsThatChooseTheHeapsStartOrAMaximumUnderItKeepTheJvmsOwnChoice() {
        for (String o : List.of("-Xms1g", "-XX:InitialHeapSize=100m", "-XX:MinHeapSize=10m", "-Xmx32m",
                "-XX:MaxHeapSize=1000000", "-XX:MaxRAMPercentage=10", "-XX:InitialRAMPercentage=5")) {
            assertFalse(InitialHeap.applies(List.of(o), 16 * GB), o);
        }
    }

    @Test
    void theLastMaximumCountsAsForTheJvm() {
        assertTrue(InitialHeap.applies(List.of("-Xmx32m", "-Xmx1g"), 16 * GB));
        assertTrue(InitialHeap.applies(List.of("-XX:MaxHeapSize=32m", "-Xmx1g"), 16 * GB));
        assertFalse(InitialHeap.applies(List.of("-Xmx1g", "-XX:MaxHeapSize=32m"), 16 * GB));
    }

    @Test
    void aSmallOrUnknownMachineGetsNothing() {
        assertFalse(InitialHeap.applies(List.of(), 256L << 20));
        assertFalse(InitialHeap.applies(List.of(), 0));
    }

    @Test
    void sizesAreReadAsTheJvmReadsThem() {
        assertEquals(64L << 20, InitialHeap.bytes("64m"));
        assertEquals(2 * GB, InitialHeap.bytes("2G"));
        assertEquals(512L << 10, InitialHeap.bytes("512k"));
        assertEquals(1000, InitialHeap.bytes("1000"));
        assertEquals(-1, InitialHeap.bytes("lots"));
    }

    @Test
    void theStartedWorkersSpecCarriesItAfterItsOwnOptions() {
        assumeTrue(MachineMemory.bytes() >= InitialHeap.MIN_MACHINE_BYTES, "a machine with less memory adds no -Xms");
        LocalWorker w = TestWorkers.withEnvironment(new LocalWorker().jvmOptions("-Xmx1g")); // none from ours
        List<String> options = w.startSpec(new LaunchSpec(List.of(1), TestWorkers.JAVA, List.of(), "cp", "Main", null,
                5000, List.of(), "s3cret", "w%d.out")).jvmOptions();
        assertEquals("-Xmx1g", options.get(0));
        assertEquals(InitialHeap.OPTION, options.get(options.size() - 1));
    }
}
