package org.jparallel.local;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.LaunchSpec;

/**
 * The JIT thresholds local workers start with: HotSpot's C2 (tier 4) compilation thresholds four times
 * its defaults, so that a fresh worker runs its first tens of thousands of tasks on C1's code while C2
 * compiles fewer methods, later, with more profile. Measured on 2 cores (see
 * docs/benchmarks/2026-12-06.md): the worker's CPU time over its first 20,000 trivial tasks fell to
 * 0.86-0.88 of the default's (C2's compilations being most of a fresh worker's CPU time; the wall time
 * 0.77 under load, unchanged on a quiet machine), and on a quiet machine its warm rate was 1.09x the
 * default's at 0.93 of its CPU per task.
 *
 * <p>Applied only to workers run by the manager's own java on a HotSpot JVM (other JVMs may refuse
 * HotSpot's options), and only when the worker's JVM options, on its command line or in its environment
 * ({@link EnvironmentOptions}), set no compilation threshold or tier of their own: any {@code -XX:Tier…},
 * {@code -XX:CompileThreshold…}, {@code -XX:[+-]TieredCompilation}, {@code -XX:TieredStopAtLevel} or {@code
 * -Xint}/{@code -Xcomp} keeps the JVM's own behaviour, e.g. {@code -XX:Tier4InvocationThreshold=5000} restores
 * the default (ours on the command line would override one in {@code JAVA_TOOL_OPTIONS}, and replace the Tier4
 * thresholds the JVM sets for C2 alone under {@code -XX:-TieredCompilation}); so do options read from a file.
 */
final class JitThresholds {
    /** The options added: each a default multiplied by four. */
    static final List<String> OPTIONS = List.of("-XX:Tier4InvocationThreshold=20000",
            "-XX:Tier4MinInvocationThreshold=2400", "-XX:Tier4CompileThreshold=60000",
            "-XX:Tier4BackEdgeThreshold=160000");

    private JitThresholds() {
    }

    /**
     * @param env the options the workers' JVM reads from its environment
     * @return the spec with {@link #OPTIONS} after its JVM options when they apply, else the spec itself
     */
    static LaunchSpec apply(LaunchSpec spec, EnvironmentOptions env) {
        return applies(LaunchSpec.splitWords(spec.javaCommand()), env.around(spec.jvmOptions()),
                System.getProperty("java.vm.name", "")) ? spec.withJvmOptions(with(spec.jvmOptions())) : spec;
    }

    /**
     * @param jvmOptions every option the workers' JVM applies ({@link EnvironmentOptions#around})
     * @param vmName the manager's {@code java.vm.name}
     * @return whether workers with this java and these options get {@link #OPTIONS}
     */
    static boolean applies(List<String> javaCommand, List<String> jvmOptions, String vmName) {
        if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
            return false;
        }
        for (String o : jvmOptions) {
            if (choosesCompilation(o)) {
                return false;
            }
        }
        try {
            ArchiveKey.checkJava(javaCommand);
            return true;
        } catch (ArchiveKey.Unsupported e) {
            return false;
        }
    }

    private static boolean choosesCompilation(String option) {
        return option.startsWith("-XX:Tier") || option.startsWith("-XX:CompileThreshold")
                || option.equals("-XX:+TieredCompilation") || option.equals("-XX:-TieredCompilation")
                || option.startsWith("-XX:TieredStopAtLevel") || option.equals("-Xint") || option.equals("-Xcomp")
                || EnvironmentOptions.readsFile(option);
    }

    private static List<String> with(List<String> options) {
        List<String> all = new ArrayList<>(options);
        all.addAll(OPTIONS);
        return all;
    }
}
