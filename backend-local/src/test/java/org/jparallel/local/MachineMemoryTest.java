package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineMemoryTest {
    private static final long GB = 1L << 30;
    private static final String MEMINFO = "MemTotal:       24683772 kB\nMemFree:         1000000 kB\n";
    private static final long MEMINFO_BYTES = 24683772L << 10;

    @TempDir
    Path dir;

    @Test
    void memTotalIsReadInBytes() throws IOException {
        assertEquals(MEMINFO_BYTES, MachineMemory.memTotal(write("meminfo", MEMINFO)));
        assertEquals(2048, MachineMemory.memTotal(write("tight", "MemTotal:2 kB\n")));
        assertEquals(1000, MachineMemory.memTotal(write("bytes", "MemTotal: 1000\n")));
        assertEquals(0, MachineMemory.memTotal(write("none", "MemFree: 1 kB\n")));
        assertEquals(0, MachineMemory.memTotal(write("bad", "MemTotal: lots kB\n")));
        assertEquals(0, MachineMemory.memTotal(dir.resolve("missing")));
    }

    @Test
    void aLimitFileSetsItsNumberOrNone() throws IOException {
        assertEquals(256L << 20, MachineMemory.limit(write("v2", "268435456\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.limit(write("max", "max\n")));
        assertEquals(9223372036854771712L, MachineMemory.limit(write("v1", "9223372036854771712\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.limit(write("empty", "")));
        assertEquals(Long.MAX_VALUE, MachineMemory.limit(dir.resolve("missing")));
    }

    @Test
    void withoutMeminfoTheMemoryIsUnknown() throws IOException {
        write("cgroup/memory.max", "268435456\n");
        assertEquals(0, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void withoutLimitsTheMachinesMemoryCounts() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "0::/\n");
        write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        assertEquals(MEMINFO_BYTES, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aContainersV2LimitAtTheRootWins() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "0::/\n");
        write("cgroup/memory.max", "268435456\n");
        assertEquals(256L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void theSmallestLimitOfTheProcesssCgroupAndItsAncestorsWins() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "0::/user.slice/app.scope\n");
        write("cgroup/memory.max", "max\n");
        write("cgroup/user.slice/memory.max", "402653184\n");
        write("cgroup/user.slice/app.scope/memory.max", "max\n");
        assertEquals(384L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aV1LimitOfTheMemoryControllersCgroupWins() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "5:cpu,cpuacct:/job\n4:memory:/docker/abc\n0::/\n");
        write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("cgroup/memory/docker/abc/memory.limit_in_bytes", "134217728\n");
        write("cgroup/cpu,cpuacct/job/memory.limit_in_bytes", "1\n"); // not the memory controller's
        assertEquals(128L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aV1LimitMountedAtTheContainersRootWins() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "4:memory:/docker/abc\n"); // the host's path; the mount shows the container's own
        write("cgroup/memory/memory.limit_in_bytes", "268435456\n");
        assertEquals(256L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aV1HierarchicalLimitOfAParentSeenOnlyInMemoryStatWins() throws IOException {
        // a Kubernetes pod's limit on a parent cgroup: the container's private mount shows only its own cgroup
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "4:memory:/kubepods/pod1/abc\n");
        write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("cgroup/memory/memory.stat", "cache 4096\nrss 8192\nhierarchical_memory_limit 201326592\n"
                + "hierarchical_memsw_limit 9223372036854771712\n");
        assertEquals(192L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aV1HierarchicalLimitAtTheLeafWins() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/cgroup", "4:memory:/kubepods/pod1/abc\n");
        write("cgroup/memory/memory.stat", "hierarchical_memory_limit 9223372036854771712\n");
        write("cgroup/memory/kubepods/pod1/abc/memory.stat", "hierarchical_memory_limit 167772160\n");
        assertEquals(160L << 20, MachineMemory.linux(dir.resolve("proc"), dir.resolve("cgroup")));
    }

    @Test
    void aMemoryStatSetsItsHierarchicalLimitOrNone() throws IOException {
        assertEquals(256L << 20, MachineMemory.hierarchicalLimit(write("s1", "cache 1\nhierarchical_memory_limit   268435456 \n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.hierarchicalLimit(write("s2", "hierarchical_memory_limit\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.hierarchicalLimit(write("s3", "hierarchical_memory_limit lots\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.hierarchicalLimit(write("s4", "hierarchical_memory_limitx 1\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.hierarchicalLimit(write("s5", "hierarchical_memsw_limit 1\n")));
        assertEquals(Long.MAX_VALUE, MachineMemory.hierarchicalLimit(dir.resolve("missing")));
    }

    @Test
    void onThisMachineTheFilesAgreeWithThePlatformsFigure() {
        long platform = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long read = MachineMemory.bytes();
        assertTrue(read > 0, "no memory read");
        if (Files.isReadable(Path.of("/proc/meminfo"))) {
            // the same figure, or less where a cgroup above the JVM's own view limits it
            assertTrue(read <= platform, read + " > " + platform);
        } else {
            assertEquals(platform, read);
        }
    }

    /** Applies the initial heap to a worker of this java, then prints "done". */
    public static void main(String[] args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        LaunchSpec spec = InitialHeap.apply(new LaunchSpec(List.of(1), java, List.of(), "cp", "Main", null, 5000,
                List.of(), "s3cret", "w%d.out"), EnvironmentOptions.NONE);
        System.out.println(spec.jvmOptions().contains(InitialHeap.OPTION) == MachineMemory.bytes() >= InitialHeap.MIN_MACHINE_BYTES
                ? "done" : "wrong options " + spec.jvmOptions());
    }

    @Test
    void onLinuxTheFirstWorkersSpecSetsUpNoPlatformMXBean() throws Exception {
        if (!Files.isReadable(Path.of("/proc/meminfo"))) {
            return;
        }
        FreshJvm.Output out = FreshJvm.run(MachineMemoryTest.class);
        assertTrue(out.printed("done"), out.text());
        assertFalse(out.loaded("java.lang.management.ManagementFactory"), "the platform MXBeans were set up: "
                + out.linesWith("management"));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
