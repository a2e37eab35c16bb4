package org.jparallel.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jparallel.spi.LaunchSpec;

/**
 * The initial heap local workers start with: {@value #OPTION}, instead of the JVM's default of a 64th of
 * the machine's memory (368 MB on a 23 GB machine). Memory the JVM has reserved but never touched costs
 * a page fault per 4 KB page when first used (about 13 us each on the 2-core virtual machine measured),
 * and a worker whose big task arrays are humongous objects walks through fresh heap until its first
 * collection: with the default, a fresh worker's first ten 16 MB tasks each paid ~4,100 faults (55 ms of
 * CPU); with a 64 MB start the collector reclaims and reuses the arrays' regions from the second task on
 * (worker CPU per 16 MB task 0.30-0.44 of the default's in 4 interleaved rounds; 100 KB x 4 workers and
 * trivial tasks not worse; docs/benchmarks/2026-12-06-big.md). The heap still grows as the JVM sees fit.
 *
 * <p>Applied only to workers run by the manager's own java (another command may not take the option), and
 * not when the worker's JVM options, on its command line or in its environment ({@link EnvironmentOptions}),
 * choose an initial or minimum heap (ours would override one from the environment), end with a maximum under {@value
 * #OPTION_BYTES} bytes, choose the maximum as a share of memory ({@code -XX:MaxRAM…}) or read options from a
 * file, nor on a machine with under 512 MB, whose default maximum may be under it (an initial heap above the
 * maximum stops the JVM): the machine's or its container's memory, as {@link MachineMemory} reads it.
 */
final class InitialHeap {
    /** The option added. */
    static final String OPTION = "-Xms64m";
    private static final long OPTION_BYTES = 64L << 20;
    /** The least memory a machine has for its workers to get {@link #OPTION}. */
    static final long MIN_MACHINE_BYTES = 512L << 20;

    private InitialHeap() {
    }

    /**
     * @param env the options the workers' JVM reads from its environment
     * @return the spec with {@link #OPTION} after its JVM options when it applies, else the spec itself
     */
    static LaunchSpec apply(LaunchSpec spec, EnvironmentOptions env) {
        return ownJava(LaunchSpec.splitWords(spec.javaCommand()))
                && applies(env.around(spec.jvmOptions()), MachineMemory.bytes())
                ? spec.withJvmOptions(with(spec.jvmOptions())) : spec;
    }

    /** @return whether the workers run the manager's own java, as {@link JitThresholds} asks too */
    private static boolean ownJava(List<String> javaCommand) {
        try {
            ArchiveKey.checkJava(javaCommand);
            return true;
        } catch (ArchiveKey.Unsupported e) {
            return false;
        }
    }

    /**
     * @param jvmOptions every option the workers' JVM applies, in its order ({@link EnvironmentOptions#around})
     * @param machineBytes this machine's memory, or 0 if unknown
     * @return whether workers with these options get {@link #OPTION}
     */
    static boolean applies(List<String> jvmOptions, long machineBytes) {
        if (machineBytes < MIN_MACHINE_BYTES) {
            return false;
        }
        String max = null;
        for (String o : jvmOptions) {
            if (o.startsWith("-Xms") || o.startsWith("-XX:InitialHeapSize") || o.startsWith("-XX:MinHeapSize")
                    || o.startsWith("-XX:MaxRAM") || o.startsWith("-XX:InitialRAM") || o.startsWith("-XX:MinRAM")
                    || EnvironmentOptions.readsFile(o)) {
                return false;
            }
            if (o.startsWith("-Xmx")) {
                max = o.substring(4);
            } else if (o.startsWith("-XX:MaxHeapSize=")) {
                max = o.substring("-XX:MaxHeapSize=".length());
            }
        }
        return max == null || bytes(max) >= OPTION_BYTES; // the last setting is the JVM's
    }

    /** @return a JVM size ({@code 512m}, {@code 2g}, {@code 1048576}) in bytes, or -1 if it is not one */
    static long bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> with(List<String> options) {
        List<String> all = new ArrayList<>(options);
        all.add(OPTION);
        return all;
    }
}
