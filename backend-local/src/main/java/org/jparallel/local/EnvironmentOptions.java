package org.jparallel.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.ShellWords;

/**
 * The JVM options a local worker's JVM takes from its environment as well as from its command line. Checked
 * with Java 17 and 25: HotSpot applies {@code JAVA_TOOL_OPTIONS}, then the java launcher's {@code
 * JDK_JAVA_OPTIONS} (which it puts before the command line's options), then the command line, then {@code
 * _JAVA_OPTIONS}; of two settings of one flag the later wins. So an option the launcher adds on the command line
 * overrides the user's in the first two, and a {@code -Xmx32m} in any of them beside an added {@code -Xms64m}
 * stops the JVM. {@link InitialHeap}, {@link JitThresholds} and {@link ClassSharing} look at them all.
 *
 * @param before the options applied before the command line's: {@code JAVA_TOOL_OPTIONS}, then {@code
 *     JDK_JAVA_OPTIONS}
 * @param after the options applied after them: {@code _JAVA_OPTIONS}
 */
record EnvironmentOptions(List<String> before, List<String> after) {
    /** No options in the environment. */
    static final EnvironmentOptions NONE = new EnvironmentOptions(List.of(), List.of());

    EnvironmentOptions {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    /** @return the options a JVM started with this environment reads from it */
    static EnvironmentOptions of(Map<String, String> environment) {
        List<String> before = new ArrayList<>(words(environment.get("JAVA_TOOL_OPTIONS")));
        before.addAll(words(environment.get("JDK_JAVA_OPTIONS")));
        return new EnvironmentOptions(before, words(environment.get("_JAVA_OPTIONS")));
    }

    /** @return every option the JVM applies, in the order it applies them (the later setting wins) */
    List<String> around(List<String> commandLine) {
        if (before.isEmpty() && after.isEmpty()) {
            return commandLine;
        }
        List<String> all = new ArrayList<>(before);
        all.addAll(commandLine);
        all.addAll(after);
        return all;
    }

    /**
     * Splits a variable's value as the JVM and the launcher do: at white space, a pair of single or double
     * quotes keeping what is between them in one word and being removed, with no escapes
     * ({@link ShellWords#splitJvmOptions}).
     *
     * @param value the value, or {@code null}
     * @return its words; an unclosed quote (which the JVM refuses) takes the rest of the value
     */
    static List<String> words(String value) {
        return ShellWords.splitJvmOptions(value);
    }

    /**
     * @return whether the option makes the JVM read more options from a file, which is not read here: the
     *     launcher's {@code @file}, {@code -XX:VMOptionsFile=}, {@code -XX:Flags=}
     */
    static boolean readsFile(String option) {
        return option.startsWith("@") || option.startsWith("-XX:VMOptionsFile=") || option.startsWith("-XX:Flags=");
    }
}
