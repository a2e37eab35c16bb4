package org.jparallel.local;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory of this machine, or of its container when that has less, as {@link InitialHeap} asks for it. On
 * Linux it is read from {@code /proc/meminfo} and the cgroup memory limits (v2 {@code memory.max}, v1 {@code
 * memory.limit_in_bytes}) of the process's cgroup and its ancestors, and v1's {@code hierarchical_memory_limit}
 * in {@code memory.stat} (at the mount's root and the leaf: a container whose private mount shows only its own
 * cgroup sees a parent's limit, a Kubernetes pod's, only there, as the JDK does), the smallest winning: a few
 * small files. Elsewhere (paths not Unix paths), or when {@code /proc/meminfo} cannot be read, the platform's
 * {@code OperatingSystemMXBean} answers;
 * in a fresh JVM that costs ~50 ms (it sets up the platform MXBeans, the container metrics and
 * java.util.logging) on the way to the first local worker's start.
 */
final class MachineMemory {
    private MachineMemory() {
    }

    /** @return this machine's or container's memory in bytes, or 0 if unknown */
    static long bytes() {
        // only where paths are Unix paths: elsewhere "/proc" would name a directory on the current drive
        long linux = File.separatorChar == '/' ? linux(Path.of("/proc"), Path.of("/sys/fs/cgroup")) : 0;
        return linux > 0 ? linux : platform();
    }

    /**
     * @param proc where {@code /proc} is
     * @param cgroups where the cgroup file systems are mounted ({@code /sys/fs/cgroup})
     * @return {@code MemTotal} of {@code proc/meminfo}, or the smallest cgroup memory limit (v1's hierarchical
     *     one included) if lower; 0 if {@code proc/meminfo} cannot be read or has no {@code MemTotal}
     */
    static long linux(Path proc, Path cgroups) {
        long total = memTotal(proc.resolve("meminfo"));
        if (total <= 0) {
            return 0;
        }
        Path v1 = cgroups.resolve("memory");
        long limit = Math.min(limit(cgroups.resolve("memory.max")),
                Math.min(limit(v1.resolve("memory.limit_in_bytes")), hierarchicalLimit(v1.resolve("memory.stat"))));
        for (String line : lines(proc.resolve("self").resolve("cgroup"))) {
            // "0::/path" (v2) or "4:memory:/path" (v1; "memory" may share the line with other controllers)
            String[] parts = line.split(":", 3);
            if (parts.length < 3 || !parts[2].startsWith("/")) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                limit = Math.min(limit, smallestLimit(cgroups, parts[2], "memory.max"));
            } else if (List.of(parts[1].split(",")).contains("memory")) {
                limit = Math.min(limit, smallestLimit(v1, parts[2], "memory.limit_in_bytes"));
                limit = Math.min(limit, hierarchicalLimit(leaf(v1, parts[2]).resolve("memory.stat")));
            }
        }
        return Math.min(total, limit);
    }

    /** @return the directory of the cgroup {@code path} under {@code root} */
    private static Path leaf(Path root, String path) {
        Path dir = root;
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".") && !name.equals("..")) {
                dir = dir.resolve(name);
            }
        }
        return dir;
    }

    /** @return the smallest limit in {@code file} of the cgroup {@code path} under {@code root} and its ancestors */
    private static long smallestLimit(Path root, String path, String file) {
        Path dir = root;
        long smallest = limit(dir.resolve(file));
        for (String name : path.split("/")) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                continue;
            }
            dir = dir.resolve(name);
            smallest = Math.min(smallest, limit(dir.resolve(file)));
        }
        return smallest;
    }

    /** @return the bytes of {@code MemTotal: N kB} in a meminfo file, or 0 if it has none or cannot be read */
    static long memTotal(Path meminfo) {
        for (String line : lines(meminfo)) {
            if (line.startsWith("MemTotal:")) {
                // no regular expression: java.util.regex's set-up would cost a fresh JVM more than the read
                String rest = line.substring("MemTotal:".length()).trim();
                int digits = 0;
                while (digits < rest.length() && Character.isDigit(rest.charAt(digits))) {
                    digits++;
                }
                long n = number(rest.substring(0, digits));
                if (n <= 0) {
                    return 0;
                }
                return rest.substring(digits).trim().equalsIgnoreCase("kB") ? n << 10 : n;
            }
        }
        return 0;
    }

    /**
     * @return the limit in a cgroup memory limit file (a number of bytes, or {@code max} for none), or
     *     {@link Long#MAX_VALUE} when it sets none, is missing or cannot be read
     */
    static long limit(Path file) {
        List<String> lines = lines(file);
        long n = lines.isEmpty() ? -1 : number(lines.get(0).trim());
        return n > 0 ? n : Long.MAX_VALUE;
    }

    /**
     * @return the {@code hierarchical_memory_limit} of a cgroup v1 {@code memory.stat} file (the smallest limit
     *     of the cgroup and its ancestors, which a container whose mount shows only its own cgroup cannot read
     *     otherwise), or {@link Long#MAX_VALUE} when it has none, is missing or cannot be read
     */
    static long hierarchicalLimit(Path memoryStat) {
        String key = "hierarchical_memory_limit";
        for (String line : lines(memoryStat)) {
            // "hierarchical_memory_limit N"; no regular expression (see memTotal)
            if (line.startsWith(key) && line.length() > key.length()
                    && Character.isWhitespace(line.charAt(key.length()))) {
                long n = number(line.substring(key.length()).trim());
                return n > 0 ? n : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static long platform() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
