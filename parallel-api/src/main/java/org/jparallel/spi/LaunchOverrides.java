package org.jparallel.spi;

import java.util.List;

/**
 * The parts of the core's {@link LaunchSpec} a worker group may replace: java command, JVM options,
 * manager host, output pattern, classpath and task slots. It exists so that every backend applies its "default:
 * the manager's" settings the same way: a backend keeps one of these behind its own setters and calls
 * {@link #applyTo} at start. A value left {@code null} keeps the core's.
 */
public final class LaunchOverrides {
    private String javaCommand;
    private List<String> jvmOptions;
    private String host;
    private String outputPattern;
    private String classpath;
    private String slots;

    /**
     * @param command the command starting a worker JVM, several words allowed; {@code null} keeps the core's
     * @return this
     * @throws IllegalArgumentException when a quote in it is not closed
     */
    public LaunchOverrides javaCommand(String command) {
        this.javaCommand = command;
        if (command != null) {
            LaunchSpec.splitWords(command); // fail now on an unclosed quote, not in the core's thread
        }
        return this;
    }

    /** @param options worker JVM options replacing the core's; {@code null} keeps the core's; @return this */
    public LaunchOverrides jvmOptions(List<String> options) {
        this.jvmOptions = options == null ? null : List.copyOf(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; {@code null} keeps the core's; @return this */
    public LaunchOverrides host(String host) {
        this.host = host;
        return this;
    }

    /** @param pattern the output file pattern ({@code %d}: the worker id); {@code null} keeps the core's; @return this */
    public LaunchOverrides outputPattern(String pattern) {
        this.outputPattern = pattern;
        return this;
    }

    /** @param classpath the worker classpath; {@code null} keeps the core's; @return this */
    public LaunchOverrides classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    /**
     * @param slots how many tasks each worker runs at once: a number or {@code auto}; {@code null} keeps the core's
     * @return this
     * @throws IllegalArgumentException when it is neither
     */
    public LaunchOverrides slots(String slots) {
        this.slots = slots == null ? null : LaunchSpec.checkSlots(slots); // fail now, in the caller's thread
        return this;
    }

    /** @return the task slots set, or {@code null} */
    public String slots() {
        return slots;
    }

    /** @return the java command set, or {@code null} */
    public String javaCommand() {
        return javaCommand;
    }

    /** @return the JVM options set, or {@code null} */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** @return the manager host set, or {@code null} */
    public String host() {
        return host;
    }

    /** @return the output pattern set, or {@code null} */
    public String outputPattern() {
        return outputPattern;
    }

    /** @return the classpath set, or {@code null} */
    public String classpath() {
        return classpath;
    }

    /**
     * @param spec the core's spec
     * @return the spec with every value set here in place of the core's
     */
    public LaunchSpec applyTo(LaunchSpec spec) {
        LaunchSpec s = spec;
        if (javaCommand != null) {
            s = s.withJavaCommand(javaCommand);
        }
        if (jvmOptions != null) {
            s = s.withJvmOptions(jvmOptions);
        }
        if (host != null) {
            s = s.withHost(host);
        }
        if (outputPattern != null) {
            s = s.withOutputPattern(outputPattern);
        }
        if (classpath != null) {
            s = s.withClasspath(classpath);
        }
        if (slots != null) {
            s = s.withSlots(slots);
        }
        return s;
    }
}
